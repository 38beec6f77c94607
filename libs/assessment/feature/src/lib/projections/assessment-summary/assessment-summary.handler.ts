import type { AssessmentEvent } from '@tieuchi/assessment/domain';
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
    case 'CriterionScored': {
      const d = event.data;
      await tx.query(
        `INSERT INTO ${S}.assessment_criteria (period_id, unit_code, criterion_code, self_answer, self_points, evidence_refs, explanation, scored_by, scored_at)
         SELECT period_id, unit_code, $2, $3::text::jsonb, $4, $5::text::jsonb, $6, $7, $8 FROM ${S}.assessment_summaries WHERE stream_name = $1
         ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET
           self_answer = EXCLUDED.self_answer, self_points = EXCLUDED.self_points, evidence_refs = EXCLUDED.evidence_refs,
           explanation = EXCLUDED.explanation, scored_by = EXCLUDED.scored_by, scored_at = EXCLUDED.scored_at,
           review_decision = NULL, reviewed_answer = NULL, reviewed_points = NULL, reason = NULL, reviewed_by = NULL, reviewed_at = NULL`,
        [stream, d.criterionCode, json(d.answer), d.points, json(d.evidenceRefs), d.explanation, d.by, d.at],
      );
      await update(tx, stream, v, d.at, '');
      return true;
    }
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
    case 'CriterionAdjusted': {
      const d = event.data;
      const reason = event.type === 'CriterionAdjusted' ? event.data.reason : null;
      await setReview(tx, stream, d.criterionCode, {
        decision: event.type === 'CriterionAdjusted' ? 'adjusted' : 'accepted',
        answer: d.answer,
        points: d.points,
        reason,
        by: d.by,
        at: d.at,
      });
      await update(tx, stream, v, d.at, appendActor('reviewers', '$4'), [d.by]);
      return true;
    }
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
      for (const a of d.adjustments) {
        await setReview(tx, stream, a.criterionCode, { decision: 'revised_on_appeal', answer: a.answer, points: a.points, reason: a.reason, by: d.by, at: d.at });
      }
      await update(tx, stream, v, d.at, `status = $4, revision = $5, ${appendActor('reviewers', '$6')}`, [
        d.outcome === 'upheld' ? 'upheld' : 'revised',
        d.revision,
        d.by,
      ]);
      return d.adjustments.length > 0;
    }
    case 'ScoresRecalculated': {
      const d = event.data;
      await update(tx, stream, v, d.at, `revision = $4, framework_id = $5, framework_version = $6`, [d.revision, d.cause.frameworkId, d.cause.frameworkVersion]);
      return true;
    }
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
      return;
    default:
      return assertNever(event, 'period event');
  }
}

interface SummaryRow {
  period_id: string;
  unit_code: string;
  tier: string;
  framework_id: string;
  framework_version: number;
}

async function rescore(tx: SqlExecutor, frameworks: FrameworkVersions, streamName: string): Promise<void> {
  const summary = (await tx.query<SummaryRow>(
    `SELECT period_id, unit_code, tier, framework_id, framework_version FROM ${S}.assessment_summaries WHERE stream_name = $1`,
    [streamName],
  )).rows[0];
  if (!summary) return;
  const { period_id: periodId, unit_code: unitCode } = summary;
  const criteria = await tx.query<{ criterion_code: string; answer: CriterionAnswer | null }>(
    `SELECT criterion_code, COALESCE(reviewed_answer, self_answer) AS answer FROM ${S}.assessment_criteria WHERE period_id = $1 AND unit_code = $2`,
    [periodId, unitCode],
  );
  const answers = new Map(criteria.rows.flatMap((row) => (row.answer ? [[row.criterion_code, row.answer] as const] : [])));
  await tx.query(`DELETE FROM ${S}.assessment_part_scores WHERE period_id = $1 AND unit_code = $2`, [periodId, unitCode]);
  const framework = await frameworks.load(summary.framework_id, Number(summary.framework_version));
  if (!framework) return;
  for (const part of scoreTierParts(framework, summary.tier, answers)) {
    await tx.query(
      `INSERT INTO ${S}.assessment_part_scores (period_id, unit_code, part_code, tier, max_points, total, excluded_points, score, level, unanswered)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [periodId, unitCode, part.partCode, part.tier, part.maxPoints, part.total, part.excludedPoints, part.score, part.level, part.unanswered.length],
    );
  }
}

/**
 * Folds assessment and period events into the assessment read model. Part scores are computed
 * once per touched assessment at the end of the batch, not once per criterion event.
 */
export function assessmentSummaryHandler(frameworks: FrameworkVersions): ProjectionHandler {
  return async (events, tx) => {
    const rescored = new Set<string>();
    for (const recorded of events) {
      if (recorded.streamName.startsWith('assessment-')) {
        if (await applyAssessmentEvent(tx, recorded)) rescored.add(recorded.streamName);
      } else if (recorded.streamName.startsWith('period-')) {
        await applyPeriodEvent(tx, recorded);
      }
    }
    for (const streamName of rescored) await rescore(tx, frameworks, streamName);
  };
}
