import { type AssessmentEvent, type AssessmentFacts, changesAnswers, foldAssessmentFacts, type PartFigures, type PartRecalculation, UNREAD_ANSWERS } from '@tieuchi/assessment/domain';
import { type CriterionAnswer, scoreTierParts } from '@tieuchi/framework/domain';
import type { PeriodEvent } from '@tieuchi/period/domain';
import type { ProjectionHandler, RecordedEvent, SqlExecutor } from '@tieuchi/shared/event-store';
import { assertNever } from '@tieuchi/shared/kernel';
import type { FrameworkVersions } from '@tieuchi/framework/data-access';
import { READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';

const json = (value: unknown): string => JSON.stringify(value);

/** A summary row as the table holds it, folded in memory and written once per batch. */
interface SummaryRow {
  period_id: string;
  unit_code: string;
  stream_name: string;
  stream_version: number;
  started_by: string;
  started_at: string;
  first_submitted_at: string | null;
  submitted_by: string | null;
  submitted_at: string | null;
  review_started_by: string | null;
  review_started_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  published_at: string | null;
  submitters: string[];
  reviewers: string[];
  last_comment: string | null;
  flagged_criteria: readonly string[];
  updated_at: string;
}

interface SelfScore {
  readonly answer: CriterionAnswer;
  readonly points: string | null;
  readonly evidence: unknown;
  readonly explanation: string | null;
  readonly by: string;
  readonly at: string;
}

interface Review {
  readonly decision: 'accepted' | 'adjusted' | 'revised_on_appeal';
  readonly answer: CriterionAnswer;
  readonly points: string | null;
  readonly reason: string | null;
  readonly by: string;
  readonly at: string;
}

/**
 * What a batch did to one criterion row: a self score replaces the row's self columns and clears its
 * review (null); a review alone replaces the review columns only (self undefined).
 */
interface CriterionChange {
  readonly periodId: string;
  readonly unitCode: string;
  readonly code: string;
  self?: SelfScore;
  review: Review | null | undefined;
}

/** A float as node-postgres would send it, so a value cast in SQL is exactly the one a parameter would give. */
const float = (value: number | null | undefined): string | null => (value === null || value === undefined ? null : String(value));

const withActor = (actors: string[], by: string): string[] => (actors.includes(by) ? actors : [...actors, by]);

/**
 * One stream's summary row and criteria through one event, as the table would have them after it.
 * The row is the batch's own copy, changed in place: most events (answers) move only its version.
 */
function evolveSummary(row: SummaryRow, event: AssessmentEvent, version: number, criteria: Map<string, CriterionChange>): void {
  if (event.type !== 'AssessmentStarted') {
    row.stream_version = version;
    row.updated_at = event.data.at;
  }
  const review = (code: string, value: Review): void => {
    const change = criteria.get(code) ?? { periodId: row.period_id, unitCode: row.unit_code, code, review: undefined };
    change.review = value;
    criteria.set(code, change);
  };
  switch (event.type) {
    case 'AssessmentStarted':
      // A stream starts once; its row stays as it is.
      return;
    case 'CriterionScored': {
      const d = event.data;
      const self = { answer: d.answer, points: float(d.points), evidence: d.evidence, explanation: d.explanation ?? null, by: d.by, at: d.at };
      criteria.set(d.criterionCode, { periodId: row.period_id, unitCode: row.unit_code, code: d.criterionCode, self, review: null });
      return;
    }
    case 'AssessmentSubmitted':
    case 'AssessmentResubmitted':
      Object.assign(row, {
        submitted_by: event.data.by,
        submitted_at: event.data.at,
        first_submitted_at: row.first_submitted_at ?? event.data.at,
        flagged_criteria: [],
        submitters: withActor(row.submitters, event.data.by),
      });
      return;
    case 'ReviewStarted':
      Object.assign(row, { review_started_by: event.data.by, review_started_at: event.data.at, reviewers: withActor(row.reviewers, event.data.by) });
      return;
    case 'CriterionAccepted':
    case 'CriterionAdjusted': {
      const d = event.data;
      const adjusted = event.type === 'CriterionAdjusted';
      review(d.criterionCode, { decision: adjusted ? 'adjusted' : 'accepted', answer: d.answer, points: float(d.points), reason: adjusted ? event.data.reason : null, by: d.by, at: d.at });
      row.reviewers = withActor(row.reviewers, d.by);
      return;
    }
    case 'AssessmentReturned':
      Object.assign(row, { last_comment: event.data.comment, flagged_criteria: event.data.flaggedCriteria, reviewers: withActor(row.reviewers, event.data.by) });
      return;
    case 'ReviewCompleted':
      Object.assign(row, { reviewed_by: event.data.by, reviewed_at: event.data.at, reviewers: withActor(row.reviewers, event.data.by) });
      return;
    case 'AssessmentApproved':
      Object.assign(row, { approved_by: event.data.by, approved_at: event.data.at });
      return;
    case 'AssessmentSentBack':
      row.last_comment = event.data.comment;
      return;
    case 'ReviewReopened':
      Object.assign(row, { last_comment: event.data.reason, reviewers: withActor(row.reviewers, event.data.by) });
      return;
    case 'AssessmentPublished':
      row.published_at = event.data.at;
      return;
    case 'AppealResolved': {
      const d = event.data;
      // As evolveAssessment reads it: an upheld appeal changes no answer.
      if (d.outcome === 'revised') {
        for (const a of d.adjustments) review(a.criterionCode, { decision: 'revised_on_appeal', answer: a.answer, points: float(a.points), reason: a.reason, by: d.by, at: d.at });
      }
      row.reviewers = withActor(row.reviewers, d.by);
      return;
    }
    case 'SubmissionWithdrawn':
    case 'AssessmentAppealed':
    case 'ScoresRecalculated':
      return;
    default:
      return assertNever(event, 'assessment event');
  }
}

/** The row a start creates. */
function startedRow(recorded: RecordedEvent, event: Extract<AssessmentEvent, { type: 'AssessmentStarted' }>): SummaryRow {
  const d = event.data;
  return {
    period_id: d.periodId,
    unit_code: d.unitCode,
    stream_name: recorded.streamName,
    stream_version: recorded.version,
    started_by: d.by,
    started_at: d.at,
    first_submitted_at: null,
    submitted_by: null,
    submitted_at: null,
    review_started_by: null,
    review_started_at: null,
    reviewed_by: null,
    reviewed_at: null,
    approved_by: null,
    approved_at: null,
    published_at: null,
    submitters: [],
    reviewers: [],
    last_comment: null,
    flagged_criteria: [],
    updated_at: d.at,
  };
}

async function applyPeriodEvent(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as PeriodEvent;
  switch (event.type) {
    case 'PeriodOpened':
      await tx.query(
        `INSERT INTO ${S}.assessment_periods (period_id, province_code, year, status) VALUES ($1, $2, $3, 'open') ON CONFLICT (period_id) DO NOTHING`,
        [event.data.periodId, event.data.provinceCode, event.data.year],
      );
      return;
    case 'SelfAssessmentClosed':
      await tx.query(`UPDATE ${S}.assessment_periods SET status = 'self_assessment_closed' WHERE period_id = $1`, [event.data.periodId]);
      return;
    case 'PeriodPublished':
    case 'PeriodCorrected':
      await tx.query(`UPDATE ${S}.assessment_periods SET status = 'published', decision_number = $2, decision_date = $3 WHERE period_id = $1`, [
        event.data.periodId,
        event.data.decisionNumber,
        event.data.decisionDate,
      ]);
      return;
    case 'FrameworkVersionPinned':
    case 'PeriodDeadlinesExtended':
      return;
    default:
      return assertNever(event, 'period event');
  }
}

/** One part score row, and per assessment the parts it has now: any other part row of it is stale. */
interface PartScoreRows {
  readonly rows: Record<string, unknown>[];
  readonly scored: { stream_name: string; parts: string[] }[];
}

/** The row writePartScores takes for one part of one assessment. */
function partScoreRow(
  streamName: string,
  part: PartFigures & { readonly partCode: string; readonly score: number; readonly level: string | null },
): Record<string, unknown> {
  return {
    stream_name: streamName,
    part_code: part.partCode,
    max_points: float(part.maxPoints),
    total: float(part.total),
    excluded_points: float(part.excludedPoints),
    score: float(part.score),
    level: part.level,
    unanswered: part.unanswered,
  };
}

/**
 * Part scores of these assessments from their facts: the figures their last recalculation recorded
 * while no answer followed it (every figure of every part, which events before newFigures lack),
 * else their answers scored under the framework version they are on.
 */
async function partScoresOf(frameworks: FrameworkVersions, assessments: ReadonlyMap<string, AssessmentFacts>): Promise<PartScoreRows> {
  const computed: PartScoreRows = { rows: [], scored: [] };
  for (const [streamName, facts] of assessments) {
    const parts: string[] = [];
    computed.scored.push({ stream_name: streamName, parts });
    const recorded = facts.recalculatedParts;
    if (recordsEveryFigure(recorded)) {
      for (const part of recorded) {
        parts.push(part.partCode);
        computed.rows.push(partScoreRow(streamName, { ...part.newFigures, partCode: part.partCode, score: part.newTotal, level: part.newLevel }));
      }
      continue;
    }
    if (facts.answers === UNREAD_ANSWERS) throw new Error(`the answers of ${streamName} were not read, yet its parts are scored from them`);
    const framework = await frameworks.load(facts.framework.id, facts.framework.version);
    if (!framework) continue;
    for (const part of scoreTierParts(framework, facts.tier, new Map(Object.entries(facts.answers)))) {
      parts.push(part.partCode);
      computed.rows.push(partScoreRow(streamName, { ...part, unanswered: part.unanswered.length }));
    }
  }
  return computed;
}

/**
 * Writes part scores in one statement per batch, upserting only rows whose figures changed:
 * rewriting every part would leave a dead row per part and command. The DELETE (parts no longer
 * computed) and the upsert (parts computed now) touch disjoint rows.
 */
async function writePartScores(tx: SqlExecutor, { rows, scored }: PartScoreRows): Promise<void> {
  if (scored.length === 0) return;
  await tx.query(
    `WITH computed AS (
       SELECT s.period_id, s.unit_code, x.part_code, s.tier, x.max_points::double precision AS max_points, x.total::double precision AS total,
              x.excluded_points::double precision AS excluded_points, x.score::double precision AS score, x.level, x.unanswered
       FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, part_code text, max_points text, total text,
              excluded_points text, score text, level text, unanswered integer)
       JOIN ${S}.assessment_summaries s ON s.stream_name = x.stream_name
     ), stale AS (
       DELETE FROM ${S}.assessment_part_scores p USING jsonb_to_recordset($2::text::jsonb) AS t(stream_name text, parts jsonb), ${S}.assessment_summaries s
       WHERE s.stream_name = t.stream_name AND p.period_id = s.period_id AND p.unit_code = s.unit_code AND NOT t.parts ? p.part_code
     )
     INSERT INTO ${S}.assessment_part_scores AS p (period_id, unit_code, part_code, tier, max_points, total, excluded_points, score, level, unanswered)
     SELECT * FROM computed
     ON CONFLICT (period_id, unit_code, part_code) DO UPDATE SET
       tier = EXCLUDED.tier, max_points = EXCLUDED.max_points, total = EXCLUDED.total, excluded_points = EXCLUDED.excluded_points,
       score = EXCLUDED.score, level = EXCLUDED.level, unanswered = EXCLUDED.unanswered
     WHERE (p.tier, p.max_points, p.total, p.excluded_points, p.score, p.level, p.unanswered)
       IS DISTINCT FROM (EXCLUDED.tier, EXCLUDED.max_points, EXCLUDED.total, EXCLUDED.excluded_points, EXCLUDED.score, EXCLUDED.level, EXCLUDED.unanswered)`,
    [json(rows), json(scored)],
  );
}

type RecordedPart = PartRecalculation & { readonly newFigures: PartFigures };

/** What a batch keeps of one assessment: its row and facts as read, then as folded. */
interface Kept {
  readonly row: SummaryRow;
  readonly facts: AssessmentFacts;
}

type LoadedRow = SummaryRow &
  Pick<AssessmentFacts, 'tier' | 'status' | 'revision'> & {
    framework_id: string;
    framework_version: number;
    recalculated_by: string[];
    recalculated_parts: PartRecalculation[] | null;
    answers: Record<string, CriterionAnswer> | null;
  };

/** Whether a stream's events of a batch need its kept answers: they change them, or its parts are scored from them. */
function needsAnswers(run: readonly AssessmentEvent[]): boolean {
  if (run.some(changesAnswers)) return true;
  const recalculation = run.findLast((event) => event.type === 'ScoresRecalculated');
  return recalculation !== undefined && !recordsEveryFigure(recalculation.data.parts);
}

/** Parts a recalculation recorded whole, which part scores are taken from instead of the answers. */
const recordsEveryFigure = (parts: readonly PartRecalculation[] | null): parts is readonly RecordedPart[] =>
  parts !== null && parts.length > 0 && parts.every((part) => part.newFigures !== undefined);

/** The kept rows and facts of the assessments a batch names, in one statement; their answers only where needed. */
async function loadKept(tx: SqlExecutor, streams: readonly string[], withAnswers: readonly string[]): Promise<Map<string, Kept>> {
  const kept = new Map<string, Kept>();
  if (streams.length === 0) return kept;
  const { rows } = await tx.query<LoadedRow>(
    `SELECT s.*, CASE WHEN s.stream_name IN (SELECT jsonb_array_elements_text($2::text::jsonb)) THEN COALESCE(a.answers, '{}'::jsonb) END AS answers
     FROM ${S}.assessment_summaries s LEFT JOIN ${S}.assessment_answers a ON a.period_id = s.period_id AND a.unit_code = s.unit_code
     WHERE s.stream_name IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [json(streams), json(withAnswers)],
  );
  for (const { tier, status, framework_id, framework_version, revision, recalculated_by, recalculated_parts, answers, ...row } of rows) {
    const facts: AssessmentFacts = {
      periodId: row.period_id,
      unitCode: row.unit_code,
      status,
      tier,
      framework: { id: framework_id, version: Number(framework_version) },
      revision: Number(revision),
      answers: answers ?? UNREAD_ANSWERS,
      recalculatedBy: recalculated_by,
      recalculatedParts: recalculated_parts,
    };
    kept.set(row.stream_name, { row: { ...row, stream_version: Number(row.stream_version) }, facts });
  }
  return kept;
}

/** Every summary that moved, whole, in one statement. */
async function writeSummaries(tx: SqlExecutor, folded: readonly Kept[]): Promise<void> {
  if (folded.length === 0) return;
  const rows = folded.map(({ row, facts }) => ({
    ...row,
    tier: facts.tier,
    status: facts.status,
    framework_id: facts.framework.id,
    framework_version: facts.framework.version,
    revision: facts.revision,
    recalculated_by: facts.recalculatedBy,
    recalculated_parts: facts.recalculatedParts,
  }));
  const columns: Record<keyof (typeof rows)[number], string> = {
    period_id: 'text',
    unit_code: 'text',
    stream_name: 'text',
    tier: 'text',
    framework_id: 'text',
    framework_version: 'integer',
    status: 'text',
    revision: 'integer',
    stream_version: 'integer',
    started_by: 'text',
    started_at: 'text',
    first_submitted_at: 'text',
    submitted_by: 'text',
    submitted_at: 'text',
    review_started_by: 'text',
    review_started_at: 'text',
    reviewed_by: 'text',
    reviewed_at: 'text',
    approved_by: 'text',
    approved_at: 'text',
    published_at: 'text',
    submitters: 'jsonb',
    reviewers: 'jsonb',
    last_comment: 'text',
    flagged_criteria: 'jsonb',
    updated_at: 'text',
    recalculated_by: 'jsonb',
    recalculated_parts: 'jsonb',
  };
  const names = Object.keys(columns);
  await tx.query(
    `INSERT INTO ${S}.assessment_summaries (${names.join(', ')})
     SELECT ${names.join(', ')} FROM json_to_recordset($1::text::json) AS x(${names.map((name) => `${name} ${columns[name as keyof typeof columns]}`).join(', ')})
     ON CONFLICT (period_id, unit_code) DO UPDATE SET ${names.filter((name) => name !== 'period_id' && name !== 'unit_code').map((name) => `${name} = EXCLUDED.${name}`).join(', ')}`,
    [json(rows)],
  );
}

/**
 * The criterion rows a batch changed, each once with its final state: rows a self score replaced
 * whole, in one statement, and rows only reviewed since, in another that leaves their self columns.
 * Each row is a JSON array in the columns' order: with no keys to send and parse, a national
 * rebuild's 1.1 million rows go in about 60 % of the time objects take. A JSON null in a jsonb
 * column is SQL NULL, as json_to_recordset would make it.
 */
async function writeCriteria(tx: SqlExecutor, changes: Iterable<CriterionChange>): Promise<void> {
  const scored: unknown[][] = [];
  const reviewed: unknown[][] = [];
  for (const { periodId, unitCode, code, self, review } of changes) {
    const reviewColumns = [review?.decision ?? null, review?.answer ?? null, review?.points ?? null, review?.reason ?? null, review?.by ?? null, review?.at ?? null];
    if (self) scored.push([periodId, unitCode, code, self.answer, self.points, self.evidence, self.explanation, self.by, self.at, ...reviewColumns]);
    else if (review) reviewed.push([periodId, unitCode, code, ...reviewColumns]);
  }
  if (scored.length > 0) {
    await tx.query(
      `INSERT INTO ${S}.assessment_criteria (period_id, unit_code, criterion_code, self_answer, self_points, evidence, explanation, scored_by, scored_at,
         review_decision, reviewed_answer, reviewed_points, reason, reviewed_by, reviewed_at)
       SELECT r->>0, r->>1, r->>2, NULLIF(r->3, 'null'), (r->>4)::double precision, NULLIF(r->5, 'null'), r->>6, r->>7, r->>8,
         r->>9, NULLIF(r->10, 'null'), (r->>11)::double precision, r->>12, r->>13, r->>14
       FROM jsonb_array_elements($1::text::jsonb) AS r
       ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET
         self_answer = EXCLUDED.self_answer, self_points = EXCLUDED.self_points, evidence = EXCLUDED.evidence,
         explanation = EXCLUDED.explanation, scored_by = EXCLUDED.scored_by, scored_at = EXCLUDED.scored_at,
         review_decision = EXCLUDED.review_decision, reviewed_answer = EXCLUDED.reviewed_answer, reviewed_points = EXCLUDED.reviewed_points,
         reason = EXCLUDED.reason, reviewed_by = EXCLUDED.reviewed_by, reviewed_at = EXCLUDED.reviewed_at`,
      [json(scored)],
    );
  }
  if (reviewed.length > 0) {
    await tx.query(
      `INSERT INTO ${S}.assessment_criteria (period_id, unit_code, criterion_code, review_decision, reviewed_answer, reviewed_points, reason, reviewed_by, reviewed_at)
       SELECT r->>0, r->>1, r->>2, r->>3, NULLIF(r->4, 'null'), (r->>5)::double precision, r->>6, r->>7, r->>8
       FROM jsonb_array_elements($1::text::jsonb) AS r
       ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET
         review_decision = EXCLUDED.review_decision, reviewed_answer = EXCLUDED.reviewed_answer, reviewed_points = EXCLUDED.reviewed_points,
         reason = EXCLUDED.reason, reviewed_by = EXCLUDED.reviewed_by, reviewed_at = EXCLUDED.reviewed_at`,
      [json(reviewed)],
    );
  }
}

/** The effective answers of the assessments whose answers moved, in one statement. */
async function writeAnswers(tx: SqlExecutor, moved: readonly AssessmentFacts[]): Promise<void> {
  if (moved.length === 0) return;
  if (moved.some((facts) => facts.answers === UNREAD_ANSWERS)) throw new Error('answers that were not read cannot be written');
  await tx.query(
    `INSERT INTO ${S}.assessment_answers (period_id, unit_code, answers)
     SELECT x.period_id, x.unit_code, x.answers FROM json_to_recordset($1::text::json) AS x(period_id text, unit_code text, answers jsonb)
     ON CONFLICT (period_id, unit_code) DO UPDATE SET answers = EXCLUDED.answers`,
    [json(moved.map((facts) => ({ period_id: facts.periodId, unit_code: facts.unitCode, answers: facts.answers })))],
  );
}

/** Events that may move an assessment's part scores: a start, an answer, a recalculation. */
const rescores = (event: AssessmentEvent): boolean =>
  event.type === 'AssessmentStarted' || event.type === 'ScoresRecalculated' || (changesAnswers(event) && (event.type !== 'AppealResolved' || (event.data.outcome === 'revised' && event.data.adjustments.length > 0)));

/**
 * Folds assessment and period events into the assessment read model. Each assessment's events of a
 * batch are folded in memory, its facts through foldAssessmentFacts and its row and criteria
 * alongside, and every table is written once per batch with the final state of what moved: the
 * transaction of a batch holds back every feed reader while open, so it takes a few round trips,
 * not a few per event.
 */
export function assessmentSummaryHandler(frameworks: FrameworkVersions): ProjectionHandler {
  return async (events, tx) => {
    const runs = new Map<string, RecordedEvent[]>();
    for (const recorded of events) {
      if (recorded.streamName.startsWith('assessment-')) {
        const run = runs.get(recorded.streamName);
        if (run) run.push(recorded);
        else runs.set(recorded.streamName, [recorded]);
      } else if (recorded.streamName.startsWith('period-')) {
        // Period events touch only assessment_periods.
        await applyPeriodEvent(tx, recorded);
      }
    }
    const assessmentEvents = new Map([...runs].map(([stream, run]) => [stream, run.map((recorded) => ({ type: recorded.type, data: recorded.data }) as AssessmentEvent)]));
    const kept = await loadKept(tx, [...runs.keys()], [...assessmentEvents].flatMap(([stream, run]) => (needsAnswers(run) ? [stream] : [])));
    const folded: Kept[] = [];
    const criteria: CriterionChange[] = [];
    const answered: AssessmentFacts[] = [];
    const rescored = new Map<string, AssessmentFacts>();
    for (const [stream, run] of runs) {
      const before = kept.get(stream);
      let row = before?.row;
      const changes = new Map<string, CriterionChange>();
      let scoresMoved = false;
      const typed = assessmentEvents.get(stream) as AssessmentEvent[];
      for (const [index, recorded] of run.entries()) {
        const event = typed[index] as AssessmentEvent;
        if (!row) {
          // Events of a stream not started yet change nothing, as evolveAssessmentFacts has it.
          if (event.type !== 'AssessmentStarted') continue;
          row = startedRow(recorded, event);
        } else if (event.type !== 'AssessmentStarted') {
          // The batch's own copy of a kept row, which the further events change in place.
          if (row === before?.row) row = { ...row };
          evolveSummary(row, event, recorded.version, changes);
        }
        scoresMoved ||= rescores(event);
      }
      const facts = foldAssessmentFacts(before?.facts ?? null, typed);
      if (!row || !facts || (row === before?.row && facts === before?.facts)) continue;
      folded.push({ row, facts });
      criteria.push(...changes.values());
      if (facts.answers !== before?.facts.answers) answered.push(facts);
      if (scoresMoved) rescored.set(stream, facts);
    }
    await writeSummaries(tx, folded);
    await writeCriteria(tx, criteria);
    await writeAnswers(tx, answered);
    await writePartScores(tx, await partScoresOf(frameworks, rescored));
  };
}
