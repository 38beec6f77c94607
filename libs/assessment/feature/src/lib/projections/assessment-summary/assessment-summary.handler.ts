import { type AssessmentEvent, type AssessmentFacts, type AssessmentStatus, evolveAssessmentFacts, foldFactsByStream, type PartFigures, type PartRecalculation } from '@tieuchi/assessment/domain';
import { type CriterionAnswer, scoreTierParts } from '@tieuchi/framework/domain';
import type { PeriodEvent } from '@tieuchi/period/domain';
import type { ProjectionHandler, RecordedEvent, SqlExecutor, SqlParameter } from '@tieuchi/shared/event-store';
import { assertNever } from '@tieuchi/shared/kernel';
import type { FrameworkVersions } from '@tieuchi/framework/data-access';
import { READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';

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
         VALUES ($1, $2, $3, $4, $5, $6, $10, $7, $8, $9, $9)
         ON CONFLICT (period_id, unit_code) DO NOTHING`,
        [d.periodId, d.unitCode, stream, d.tier, d.frameworkId, d.frameworkVersion, v, d.by, d.at, (evolveAssessmentFacts(null, event) as AssessmentFacts).status],
      );
      return true;
    }
    case 'CriterionScored':
      await applyCriterionScores(tx, [recorded]);
      return true;
    case 'AssessmentSubmitted':
    case 'AssessmentResubmitted': {
      const d = event.data;
      await update(
        tx,
        stream,
        v,
        d.at,
        `submitted_by = $4, submitted_at = $3, first_submitted_at = COALESCE(first_submitted_at, $3), flagged_criteria = '[]'::jsonb, ${appendActor('submitters', '$4')}`,
        [d.by],
      );
      return false;
    }
    case 'SubmissionWithdrawn':
      await update(tx, stream, v, event.data.at, '');
      return false;
    case 'ReviewStarted':
      await update(tx, stream, v, event.data.at, `review_started_by = $4, review_started_at = $3, ${appendActor('reviewers', '$4')}`, [
        event.data.by,
      ]);
      return false;
    case 'CriterionAccepted':
    case 'CriterionAdjusted':
      await applyCriterionReviews(tx, [recorded]);
      return true;
    case 'AssessmentReturned': {
      const d = event.data;
      await update(tx, stream, v, d.at, `last_comment = $5, flagged_criteria = $6::text::jsonb, ${appendActor('reviewers', '$4')}`, [
        d.by,
        d.comment,
        json(d.flaggedCriteria),
      ]);
      return false;
    }
    case 'ReviewCompleted':
      await update(tx, stream, v, event.data.at, `reviewed_by = $4, reviewed_at = $3, ${appendActor('reviewers', '$4')}`, [event.data.by]);
      return false;
    case 'AssessmentApproved':
      await update(tx, stream, v, event.data.at, `approved_by = $4, approved_at = $3`, [event.data.by]);
      return false;
    case 'AssessmentSentBack':
      await update(tx, stream, v, event.data.at, `last_comment = $4`, [event.data.comment]);
      return false;
    case 'ReviewReopened':
      await update(tx, stream, v, event.data.at, `last_comment = $5, ${appendActor('reviewers', '$4')}`, [event.data.by, event.data.reason]);
      return false;
    case 'AssessmentPublished':
      await update(tx, stream, v, event.data.at, `published_at = $3`);
      return false;
    case 'AssessmentAppealed':
      await update(tx, stream, v, event.data.at, '');
      return false;
    case 'AppealResolved': {
      const d = event.data;
      // As evolveAssessment reads it: an upheld appeal changes no answer.
      const adjustments = d.outcome === 'revised' ? d.adjustments : [];
      for (const a of adjustments) {
        await setReview(tx, stream, a.criterionCode, { decision: 'revised_on_appeal', answer: a.answer, points: a.points, reason: a.reason, by: d.by, at: d.at });
      }
      await update(tx, stream, v, d.at, appendActor('reviewers', '$4'), [d.by]);
      return adjustments.length > 0;
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

/** A float as node-postgres would send it, so a value cast in SQL is exactly the one a parameter would give. */
const float = (value: number | null | undefined): string | null => (value === null || value === undefined ? null : String(value));

/**
 * A run of consecutive CriterionScored events in one statement, leaving the rows exactly as one
 * statement per event would: each criterion its last score, each summary its last event's version
 * and instant.
 */
async function applyCriterionScores(tx: SqlExecutor, run: readonly RecordedEvent[]): Promise<void> {
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
  }
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
 * in one statement: each summary takes the stream version and instant of its last recalculation in
 * the run; what the recalculation changed of the assessment comes with its facts.
 */
async function applyRecalculations(tx: SqlExecutor, run: readonly RecordedEvent[]): Promise<void> {
  const last = new Map<string, Record<string, unknown>>();
  for (const recorded of run) {
    last.set(recorded.streamName, { stream_name: recorded.streamName, version: recorded.version, at: (recorded.data as { at: string }).at });
  }
  await tx.query(
    `UPDATE ${S}.assessment_summaries s SET stream_version = x.version, updated_at = x.at
     FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, version integer, at text)
     WHERE s.stream_name = x.stream_name`,
    [json([...last.values()])],
  );
}

type ReviewEvent = Extract<AssessmentEvent, { type: 'CriterionAccepted' | 'CriterionAdjusted' }>;

/**
 * A run of consecutive CriterionAccepted / CriterionAdjusted events in one statement, leaving the
 * rows exactly as one statement per event would: each criterion its last review, each summary its
 * last event's version and instant, and the run's new reviewers in order of first appearance.
 */
async function applyCriterionReviews(tx: SqlExecutor, run: readonly RecordedEvent[]): Promise<void> {
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
  }
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
    if (recorded && recorded.length > 0 && recorded.every((part): part is RecordedPart => part.newFigures !== undefined)) {
      for (const part of recorded) {
        parts.push(part.partCode);
        computed.rows.push(partScoreRow(streamName, { ...part.newFigures, partCode: part.partCode, score: part.newTotal, level: part.newLevel }));
      }
      continue;
    }
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

interface SummaryRow {
  stream_name: string;
  period_id: string;
  unit_code: string;
  tier: string;
  status: AssessmentStatus;
  framework_id: string;
  framework_version: number;
  revision: number;
  recalculated_by: string[];
  recalculated_parts: PartRecalculation[] | null;
  answers: Record<string, CriterionAnswer>;
}

/** The kept facts of the assessments a batch names, in one statement. */
async function keptFacts(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<Map<string, AssessmentFacts>> {
  const streams = [...new Set(events.filter((e) => e.streamName.startsWith('assessment-')).map((e) => e.streamName))];
  const kept = new Map<string, AssessmentFacts>();
  if (streams.length === 0) return kept;
  const { rows } = await tx.query<SummaryRow>(
    `SELECT s.stream_name, s.period_id, s.unit_code, s.tier, s.status, s.framework_id, s.framework_version, s.revision, s.recalculated_by, s.recalculated_parts,
            COALESCE(a.answers, '{}'::jsonb) AS answers
     FROM ${S}.assessment_summaries s LEFT JOIN ${S}.assessment_answers a ON a.period_id = s.period_id AND a.unit_code = s.unit_code
     WHERE s.stream_name IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [json(streams)],
  );
  for (const row of rows) {
    kept.set(row.stream_name, {
      periodId: row.period_id,
      unitCode: row.unit_code,
      status: row.status,
      tier: row.tier,
      framework: { id: row.framework_id, version: Number(row.framework_version) },
      revision: Number(row.revision),
      answers: row.answers,
      recalculatedBy: row.recalculated_by,
      recalculatedParts: row.recalculated_parts,
    });
  }
  return kept;
}

/** Writes the facts that moved in one statement, and the answers that moved in another. */
async function writeFacts(tx: SqlExecutor, kept: ReadonlyMap<string, AssessmentFacts>, folded: ReadonlyMap<string, AssessmentFacts>): Promise<void> {
  const facts: unknown[] = [];
  const answers: unknown[] = [];
  for (const [stream, after] of folded) {
    const before = kept.get(stream);
    if (after === before) continue;
    facts.push({
      stream_name: stream,
      status: after.status,
      tier: after.tier,
      framework_id: after.framework.id,
      framework_version: after.framework.version,
      revision: after.revision,
      recalculated_by: after.recalculatedBy,
      recalculated_parts: after.recalculatedParts,
    });
    if (after.answers !== before?.answers) answers.push({ period_id: after.periodId, unit_code: after.unitCode, answers: after.answers });
  }
  if (facts.length > 0) {
    await tx.query(
      `UPDATE ${S}.assessment_summaries s SET status = x.status, tier = x.tier, framework_id = x.framework_id, framework_version = x.framework_version,
         revision = x.revision, recalculated_by = x.recalculated_by, recalculated_parts = x.recalculated_parts
       FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, status text, tier text, framework_id text, framework_version integer,
         revision integer, recalculated_by jsonb, recalculated_parts jsonb)
       WHERE s.stream_name = x.stream_name`,
      [json(facts)],
    );
  }
  if (answers.length > 0) {
    await tx.query(
      `INSERT INTO ${S}.assessment_answers (period_id, unit_code, answers)
       SELECT x.period_id, x.unit_code, x.answers FROM jsonb_to_recordset($1::text::jsonb) AS x(period_id text, unit_code text, answers jsonb)
       ON CONFLICT (period_id, unit_code) DO UPDATE SET answers = EXCLUDED.answers`,
      [json(answers)],
    );
  }
}

/**
 * Folds assessment and period events into the assessment read model. Facts are folded in memory
 * and written once per batch, runs of scores and of reviews in one statement each, part scores once
 * per touched assessment: a batch's transaction holds back every feed reader while open, so it
 * takes a few round trips, not a few per event.
 */
export function assessmentSummaryHandler(frameworks: FrameworkVersions): ProjectionHandler {
  return async (events, tx) => {
    const kept = await keptFacts(tx, events);
    const folded = foldFactsByStream(kept, events.filter((recorded) => recorded.streamName.startsWith('assessment-')) as (RecordedEvent & AssessmentEvent)[]);
    // Assessments whose part scores may have moved: a start, an answer, a recalculation.
    const rescored = new Set<string>();
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
          rescored.add(recorded.streamName);
          continue;
        }
        await flush();
        if (await applyAssessmentEvent(tx, recorded)) rescored.add(recorded.streamName);
      } else if (recorded.streamName.startsWith('period-')) {
        // Period events touch only assessment_periods, so a pending run need not wait.
        await applyPeriodEvent(tx, recorded);
      }
    }
    await flush();
    await writeFacts(tx, kept, folded);
    const touched = new Map([...rescored].flatMap((stream) => {
      const facts = folded.get(stream);
      return facts ? [[stream, facts] as const] : [];
    }));
    await writePartScores(tx, await partScoresOf(frameworks, touched));
  };
}
