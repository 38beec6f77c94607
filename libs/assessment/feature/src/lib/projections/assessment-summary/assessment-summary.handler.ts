import type { AssessmentEvent, PartFigures, PartRecalculation, ScoresRecalculated } from '@tieuchi/assessment/domain';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import type { PeriodEvent } from '@tieuchi/period/domain';
import type { ProjectionHandler, RecordedEvent, SqlExecutor, SqlParameter } from '@tieuchi/shared/event-store';
import { assertNever } from '@tieuchi/shared/kernel';
import { type FrameworkVersions, scoreTierParts } from '../framework-versions';
import { READ_MODEL_SCHEMA as S } from '../managed-projection';

const json = (value: unknown): string => JSON.stringify(value);

async function update(tx: SqlExecutor, streamName: string, version: number, at: string, set: string, params: readonly SqlParameter[] = []): Promise<void> {
  // $1 stream, $2 version, $3 instant; the caller's own parameters follow from $4.
  await tx.query(
    `UPDATE ${S}.assessment_summaries SET ${set ? `${set}, ` : ''}stream_version = $2, updated_at = $3 WHERE stream_name = $1`,
    [streamName, version, at, ...params],
  );
}

const appendActor = (column: 'submitters' | 'reviewers', param: string): string =>
  `${column} = CASE WHEN ${column} ? ${param} THEN ${column} ELSE ${column} || jsonb_build_array(${param}::text) END`;

async function setReview(
  tx: SqlExecutor,
  streamName: string,
  criterionCode: string,
  review: { decision: string; answer: CriterionAnswer; points: number | null; reason: string | null; by: string; at: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO ${S}.assessment_criteria (period_id, unit_code, criterion_code, review_decision, reviewed_answer, reviewed_points, reason, reviewed_by, reviewed_at)
     SELECT period_id, unit_code, $2, $3, $4::text::jsonb, $5, $6, $7, $8 FROM ${S}.assessment_summaries WHERE stream_name = $1
     ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET
       review_decision = EXCLUDED.review_decision, reviewed_answer = EXCLUDED.reviewed_answer, reviewed_points = EXCLUDED.reviewed_points,
       reason = EXCLUDED.reason, reviewed_by = EXCLUDED.reviewed_by, reviewed_at = EXCLUDED.reviewed_at`,
    [streamName, criterionCode, review.decision, json(review.answer), review.points, review.reason, review.by, review.at],
  );
}

/** Returns true when the criteria (hence the part scores) changed. */
async function applyAssessmentEvent(tx: SqlExecutor, recorded: RecordedEvent): Promise<boolean> {
  const event = { type: recorded.type, data: recorded.data } as AssessmentEvent;
  const stream = recorded.streamName;
  const v = recorded.version;
  switch (event.type) {
    case 'AssessmentStarted': {
      const d = event.data;
      await tx.query(
        `INSERT INTO ${S}.assessment_summaries (period_id, unit_code, stream_name, tier, framework_id, framework_version, status, stream_version, started_by, started_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $9)
         ON CONFLICT (period_id, unit_code) DO NOTHING`,
        [d.periodId, d.unitCode, stream, d.tier, d.frameworkId, d.frameworkVersion, v, d.by, d.at],
      );
      return true;
    }
    case 'CriterionScored':
      await applyCriterionScores(tx, [recorded]);
      return true;
    case 'AssessmentSubmitted':
    case 'AssessmentResubmitted': {
      const d = event.data;
      const status = event.type === 'AssessmentSubmitted' ? 'submitted' : 'resubmitted';
      await update(
        tx,
        stream,
        v,
        d.at,
        `status = '${status}', revision = $4, submitted_by = $5, submitted_at = $3, first_submitted_at = COALESCE(first_submitted_at, $3),
         flagged_criteria = '[]'::jsonb, ${appendActor('submitters', '$5')}`,
        [d.revision, d.by],
      );
      return false;
    }
    case 'SubmissionWithdrawn':
      await update(tx, stream, v, event.data.at, `status = CASE WHEN status = 'resubmitted' THEN 'returned' ELSE 'draft' END`);
      return false;
    case 'ReviewStarted':
      await update(tx, stream, v, event.data.at, `status = 'under_review', review_started_by = $4, review_started_at = $3, ${appendActor('reviewers', '$4')}`, [
        event.data.by,
      ]);
      return false;
    case 'CriterionAccepted':
    case 'CriterionAdjusted':
      await applyCriterionReviews(tx, [recorded]);
      return true;
    case 'AssessmentReturned': {
      const d = event.data;
      await update(tx, stream, v, d.at, `status = 'returned', last_comment = $5, flagged_criteria = $6::text::jsonb, ${appendActor('reviewers', '$4')}`, [
        d.by,
        d.comment,
        json(d.flaggedCriteria),
      ]);
      return false;
    }
    case 'ReviewCompleted':
      await update(tx, stream, v, event.data.at, `status = 'reviewed', revision = $4, reviewed_by = $5, reviewed_at = $3, ${appendActor('reviewers', '$5')}`, [
        event.data.revision,
        event.data.by,
      ]);
      return false;
    case 'AssessmentApproved':
      await update(tx, stream, v, event.data.at, `status = 'approved', approved_by = $4, approved_at = $3`, [event.data.by]);
      return false;
    case 'AssessmentSentBack':
      await update(tx, stream, v, event.data.at, `status = 'under_review', last_comment = $4`, [event.data.comment]);
      return false;
    case 'AssessmentPublished':
      await update(tx, stream, v, event.data.at, `status = 'published', published_at = $3`);
      return false;
    case 'AssessmentAppealed':
      await update(tx, stream, v, event.data.at, `status = 'appealed'`);
      return false;
    case 'AppealResolved': {
      const d = event.data;
      const revised = new Map<string, Record<string, CriterionAnswer>>();
      for (const a of d.adjustments) {
        await setReview(tx, stream, a.criterionCode, { decision: 'revised_on_appeal', answer: a.answer, points: a.points, reason: a.reason, by: d.by, at: d.at });
        gather(revised, stream, a.criterionCode, a.answer);
      }
      await mergeAnswers(tx, revised);
      await update(tx, stream, v, d.at, `status = $4, revision = $5, ${appendActor('reviewers', '$6')}`, [
        d.outcome === 'upheld' ? 'upheld' : 'revised',
        d.revision,
        d.by,
      ]);
      return d.adjustments.length > 0;
    }
    case 'ScoresRecalculated':
      await applyRecalculations(tx, [recorded]);
      return true;
    default:
      return assertNever(event, 'assessment event');
  }
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

/**
 * Merges answers into each assessment's effective answers (criterion code → the answer that
 * counts): the answer an event carries is always the one that counts after it, a new self score
 * clearing the review and a review or appeal revision taking over from the self score.
 */
async function mergeAnswers(tx: SqlExecutor, answers: ReadonlyMap<string, Record<string, CriterionAnswer>>): Promise<void> {
  if (answers.size === 0) return;
  await tx.query(
    `INSERT INTO ${S}.assessment_answers (period_id, unit_code, answers)
     SELECT s.period_id, s.unit_code, x.answers
     FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, answers jsonb) JOIN ${S}.assessment_summaries s ON s.stream_name = x.stream_name
     ON CONFLICT (period_id, unit_code) DO UPDATE SET answers = ${S}.assessment_answers.answers || EXCLUDED.answers`,
    [json([...answers].map(([stream_name, merged]) => ({ stream_name, answers: merged })))],
  );
}

/** Adds `answer` for `code` to the answers of `stream` gathered for one mergeAnswers. */
function gather(into: Map<string, Record<string, CriterionAnswer>>, stream: string, code: string, answer: CriterionAnswer): void {
  let answers = into.get(stream);
  if (!answers) into.set(stream, (answers = {}));
  answers[code] = answer;
}

/** A float as node-postgres would send it, so a value cast in SQL is exactly the one a parameter would give. */
const float = (value: number | null | undefined): string | null => (value === null || value === undefined ? null : String(value));

/**
 * A run of consecutive CriterionScored events in one statement: each criterion row ends as the
 * last score of the run left it (every upsert overwrites the same columns), and each summary
 * takes the version and instant of its last event in the run, exactly as one statement per
 * event would have left them.
 */
async function applyCriterionScores(tx: SqlExecutor, run: readonly RecordedEvent[]): Promise<void> {
  const answers = new Map<string, Record<string, CriterionAnswer>>();
  const criteria = new Map<string, Record<string, unknown>>();
  const summaries = new Map<string, { stream_name: string; version: number; at: string }>();
  for (const recorded of run) {
    const d = recorded.data as Extract<AssessmentEvent, { type: 'CriterionScored' }>['data'];
    const key = `${recorded.streamName}\u0000${d.criterionCode}`;
    criteria.delete(key);
    criteria.set(key, {
      stream_name: recorded.streamName,
      criterion_code: d.criterionCode,
      answer: d.answer,
      points: float(d.points),
      evidence: d.evidence,
      explanation: d.explanation ?? null,
      scored_by: d.by,
      scored_at: d.at,
    });
    summaries.set(recorded.streamName, { stream_name: recorded.streamName, version: recorded.version, at: d.at });
    gather(answers, recorded.streamName, d.criterionCode, d.answer);
  }
  await mergeAnswers(tx, answers);
  await tx.query(
    `WITH upserted AS (
       INSERT INTO ${S}.assessment_criteria (period_id, unit_code, criterion_code, self_answer, self_points, evidence, explanation, scored_by, scored_at)
       SELECT s.period_id, s.unit_code, x.criterion_code, x.answer, x.points::double precision, x.evidence, x.explanation, x.scored_by, x.scored_at
       FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, criterion_code text, answer jsonb, points text, evidence jsonb,
              explanation text, scored_by text, scored_at text)
       JOIN ${S}.assessment_summaries s ON s.stream_name = x.stream_name
       ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET
         self_answer = EXCLUDED.self_answer, self_points = EXCLUDED.self_points, evidence = EXCLUDED.evidence,
         explanation = EXCLUDED.explanation, scored_by = EXCLUDED.scored_by, scored_at = EXCLUDED.scored_at,
         review_decision = NULL, reviewed_answer = NULL, reviewed_points = NULL, reason = NULL, reviewed_by = NULL, reviewed_at = NULL
       RETURNING 1
     )
     UPDATE ${S}.assessment_summaries s SET stream_version = v.version, updated_at = v.at
     FROM jsonb_to_recordset($2::text::jsonb) AS v(stream_name text, version integer, at text)
     WHERE s.stream_name = v.stream_name`,
    [json([...criteria.values()]), json([...summaries.values()])],
  );
}

/**
 * A run of ScoresRecalculated (a recalculation run appends one per assessment, thousands in a row)
 * in one statement: each summary takes the revision, framework version, stream version and instant
 * of its last recalculation in the run, as one update per event would have left it.
 */
async function applyRecalculations(tx: SqlExecutor, run: readonly RecordedEvent[]): Promise<void> {
  const last = new Map<string, Record<string, unknown>>();
  for (const recorded of run) {
    const d = recorded.data as Extract<AssessmentEvent, { type: 'ScoresRecalculated' }>['data'];
    last.set(recorded.streamName, {
      stream_name: recorded.streamName,
      revision: d.revision,
      framework_id: d.cause.frameworkId,
      framework_version: d.cause.frameworkVersion,
      version: recorded.version,
      at: d.at,
    });
  }
  await tx.query(
    `UPDATE ${S}.assessment_summaries s SET revision = x.revision, framework_id = x.framework_id, framework_version = x.framework_version,
       stream_version = x.version, updated_at = x.at
     FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, revision integer, framework_id text, framework_version integer, version integer, at text)
     WHERE s.stream_name = x.stream_name`,
    [json([...last.values()])],
  );
}

type ReviewEvent = Extract<AssessmentEvent, { type: 'CriterionAccepted' | 'CriterionAdjusted' }>;

/**
 * A run of consecutive CriterionAccepted / CriterionAdjusted events in one statement, leaving the
 * rows exactly as one setReview + update per event would: each criterion takes its last review,
 * each summary the version and instant of its last event, and its reviewers list gains, in order
 * of first appearance, every reviewer of the run it did not hold yet.
 */
async function applyCriterionReviews(tx: SqlExecutor, run: readonly RecordedEvent[]): Promise<void> {
  const answers = new Map<string, Record<string, CriterionAnswer>>();
  const criteria = new Map<string, Record<string, unknown>>();
  const summaries = new Map<string, { stream_name: string; version: number; at: string; reviewers: string[] }>();
  for (const recorded of run) {
    const event = { type: recorded.type, data: recorded.data } as ReviewEvent;
    const d = event.data;
    const key = `${recorded.streamName}\u0000${d.criterionCode}`;
    criteria.set(key, {
      stream_name: recorded.streamName,
      criterion_code: d.criterionCode,
      decision: event.type === 'CriterionAdjusted' ? 'adjusted' : 'accepted',
      answer: d.answer,
      points: float(d.points),
      reason: event.type === 'CriterionAdjusted' ? event.data.reason : null,
      by: d.by,
      at: d.at,
    });
    const summary = summaries.get(recorded.streamName);
    const reviewers = summary?.reviewers ?? [];
    if (!reviewers.includes(d.by)) reviewers.push(d.by);
    summaries.set(recorded.streamName, { stream_name: recorded.streamName, version: recorded.version, at: d.at, reviewers });
    gather(answers, recorded.streamName, d.criterionCode, d.answer);
  }
  await mergeAnswers(tx, answers);
  await tx.query(
    `WITH upserted AS (
       INSERT INTO ${S}.assessment_criteria (period_id, unit_code, criterion_code, review_decision, reviewed_answer, reviewed_points, reason, reviewed_by, reviewed_at)
       SELECT s.period_id, s.unit_code, x.criterion_code, x.decision, x.answer, x.points::double precision, x.reason, x.by, x.at
       FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, criterion_code text, decision text, answer jsonb, points text, reason text, by text, at text)
       JOIN ${S}.assessment_summaries s ON s.stream_name = x.stream_name
       ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET
         review_decision = EXCLUDED.review_decision, reviewed_answer = EXCLUDED.reviewed_answer, reviewed_points = EXCLUDED.reviewed_points,
         reason = EXCLUDED.reason, reviewed_by = EXCLUDED.reviewed_by, reviewed_at = EXCLUDED.reviewed_at
       RETURNING 1
     )
     UPDATE ${S}.assessment_summaries s SET stream_version = v.version, updated_at = v.at,
       reviewers = s.reviewers || COALESCE(
         (SELECT jsonb_agg(r.reviewer ORDER BY r.n) FROM jsonb_array_elements_text(v.reviewers) WITH ORDINALITY AS r(reviewer, n) WHERE NOT s.reviewers ? r.reviewer),
         '[]'::jsonb)
     FROM jsonb_to_recordset($2::text::jsonb) AS v(stream_name text, version integer, at text, reviewers jsonb)
     WHERE s.stream_name = v.stream_name`,
    [json([...criteria.values()]), json([...summaries.values()])],
  );
}

interface RescoreRow {
  stream_name: string;
  tier: string;
  framework_id: string;
  framework_version: number;
  /** The effective answer per criterion code. */
  answers: Record<string, CriterionAnswer>;
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

/** Part scores of these assessments, computed from their effective answers: one read per batch. */
async function scoreFromAnswers(tx: SqlExecutor, frameworks: FrameworkVersions, streamNames: readonly string[]): Promise<PartScoreRows> {
  const computed: PartScoreRows = { rows: [], scored: [] };
  if (streamNames.length === 0) return computed;
  const summaries = (await tx.query<RescoreRow>(
    `SELECT s.stream_name, s.tier, s.framework_id, s.framework_version, COALESCE(a.answers, '{}'::jsonb) AS answers
     FROM ${S}.assessment_summaries s LEFT JOIN ${S}.assessment_answers a ON a.period_id = s.period_id AND a.unit_code = s.unit_code
     WHERE s.stream_name IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [json(streamNames)],
  )).rows;
  for (const summary of summaries) {
    const parts: string[] = [];
    computed.scored.push({ stream_name: summary.stream_name, parts });
    const framework = await frameworks.load(summary.framework_id, Number(summary.framework_version));
    if (!framework) continue;
    const answers = new Map(Object.entries(summary.answers));
    for (const part of scoreTierParts(framework, summary.tier, answers)) {
      parts.push(part.partCode);
      computed.rows.push(partScoreRow(summary.stream_name, { ...part, unanswered: part.unanswered.length }));
    }
  }
  return computed;
}

/**
 * Part scores as recalculations recorded them, every figure included: the same rows scoring the
 * answers gives, since the job scored the inputs the assessment had at the version it appended on,
 * without reading a national period's answers back (a hundred per assessment).
 */
function recordedPartScores(recalculations: ReadonlyMap<string, readonly RecordedPart[]>): PartScoreRows {
  const computed: PartScoreRows = { rows: [], scored: [] };
  for (const [streamName, parts] of recalculations) {
    computed.scored.push({ stream_name: streamName, parts: parts.map((part) => part.partCode) });
    for (const part of parts) {
      computed.rows.push(partScoreRow(streamName, { ...part.newFigures, partCode: part.partCode, score: part.newTotal, level: part.newLevel }));
    }
  }
  return computed;
}

/**
 * Writes part scores in one statement per batch. Rows are upserted, and only where a figure
 * changed, rather than deleted and written again: a score moves one part of one assessment, and
 * rewriting every part of it left a dead row per part and command for every later scan to step
 * over. The two data-modifying parts touch disjoint rows: the DELETE only parts no longer computed
 * (another framework version, or none found), the upsert only parts computed now.
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

/** The parts of a recalculation when it recorded every figure of every part (events before newFigures did not). */
function recordedPartsOf(recorded: RecordedEvent): readonly RecordedPart[] | null {
  if (recorded.type !== 'ScoresRecalculated') return null;
  const { parts } = (recorded.data as ScoresRecalculated['data']);
  return parts.length > 0 && parts.every((part): part is RecordedPart => part.newFigures !== undefined) ? parts : null;
}

interface PendingRun {
  readonly apply: typeof applyCriterionScores;
  readonly events: RecordedEvent[];
}

/** The one-statement writer of a run of this event type: the events a form is made of (scores, reviews), and recalculations. */
function runWriterOf(type: string): typeof applyCriterionScores | null {
  if (type === 'CriterionScored') return applyCriterionScores;
  if (type === 'CriterionAccepted' || type === 'CriterionAdjusted') return applyCriterionReviews;
  if (type === 'ScoresRecalculated') return applyRecalculations;
  return null;
}

/**
 * Folds assessment and period events into the assessment read model. Runs of criterion scores
 * and of criterion reviews are written in one statement each, and part scores are computed once per touched assessment at the
 * end of the batch, so a batch's transaction (which holds back every feed reader while it is
 * open) takes a few round trips rather than a few per event.
 */
export function assessmentSummaryHandler(frameworks: FrameworkVersions): ProjectionHandler {
  return async (events, tx) => {
    // Per touched assessment, where its part scores come from: its answers, scored again, or the
    // figures its last recalculation recorded (when nothing changed its answers after it).
    const rescored = new Set<string>();
    const recalculated = new Map<string, readonly RecordedPart[]>();
    const touched = (streamName: string, recorded: RecordedEvent): void => {
      const parts = recordedPartsOf(recorded);
      if (parts) {
        recalculated.set(streamName, parts);
        rescored.delete(streamName);
      } else {
        recalculated.delete(streamName);
        rescored.add(streamName);
      }
    };
    // A pending run of scores or of reviews; a score clears a review, so the two never share a run.
    let run = null as PendingRun | null;
    const flush = async (): Promise<void> => {
      if (run) await run.apply(tx, run.events);
      run = null;
    };
    for (const recorded of events) {
      if (recorded.streamName.startsWith('assessment-')) {
        const apply = runWriterOf(recorded.type);
        if (apply) {
          if (run?.apply !== apply) await flush();
          run ??= { apply, events: [] };
          run.events.push(recorded);
          touched(recorded.streamName, recorded);
          continue;
        }
        await flush();
        if (await applyAssessmentEvent(tx, recorded)) touched(recorded.streamName, recorded);
      } else if (recorded.streamName.startsWith('period-')) {
        // Period events touch only assessment_periods, so a pending run need not wait.
        await applyPeriodEvent(tx, recorded);
      }
    }
    await flush();
    const fromAnswers = await scoreFromAnswers(tx, frameworks, [...rescored]);
    const fromRecalculations = recordedPartScores(recalculated);
    await writePartScores(tx, { rows: [...fromAnswers.rows, ...fromRecalculations.rows], scored: [...fromAnswers.scored, ...fromRecalculations.scored] });
  };
}
