import { Inject, Injectable } from '@nestjs/common';
import {
  type AssessmentCommandType,
  type AssessmentEvent,
  type AssessmentState,
  type AssessmentStatus,
  type EvidenceRecord,
  evolveAssessment,
  initialAssessmentState,
  nextActions,
  publishingDecision,
} from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { appealWindowEndsAt, periodWindow } from '@tieuchi/period/domain';
import { CLOCK, type Clock, CommandExecutor, READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import type { Principal } from '@tieuchi/shared/auth';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { AssessmentContextLoader, assessmentActorOf } from '../../assessment-context.loader';
import { assertMayReadAssessment, assessmentNotFound, isUnitMember } from '../assessment-access';
import { evidenceFileKey, EvidenceUploads } from '../../evidence/evidence-uploads.repository';
import { evidenceView, type EvidenceView } from '../../evidence/evidence-view';

export interface CriterionDetail {
  readonly code: string;
  readonly self: {
    readonly answer: CriterionAnswer;
    readonly points: number | null;
    /** Files carry the link to download them with the assessment's own authorization. */
    readonly evidence: readonly EvidenceView[];
    readonly explanation: string | null;
    readonly by: string | null;
    readonly at: string | null;
  } | null;
  readonly review: {
    readonly decision: string;
    readonly answer: CriterionAnswer;
    readonly points: number | null;
    readonly reason: string | null;
    readonly by: string | null;
    readonly at: string | null;
  } | null;
}

export interface PartDetail {
  readonly partCode: string;
  readonly maxPoints: number;
  readonly total: number;
  readonly excludedPoints: number;
  readonly score: number;
  readonly level: string | null;
  readonly unanswered: number;
}

export interface AssessmentDetail {
  readonly periodId: string;
  readonly unitCode: string;
  readonly tier: string;
  readonly framework: { readonly id: string; readonly version: number };
  readonly status: string;
  readonly revision: number;
  /** The stream version the view reflects: also its ETag, to send back as If-Match. */
  readonly version: number;
  readonly startedBy: string;
  readonly submittedBy: string | null;
  readonly submittedAt: string | null;
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly publishedAt: string | null;
  readonly lastComment: string | null;
  readonly flaggedCriteria: readonly string[];
  readonly parts: readonly PartDetail[];
  readonly criteria: readonly CriterionDetail[];
  /** The commands the caller may issue now, judged on the stream itself. */
  readonly nextActions: readonly AssessmentCommandType[];
}

interface SummaryRow {
  tier: string;
  framework_id: string;
  framework_version: number;
  status: string;
  revision: number;
  stream_version: number;
  started_by: string;
  submitted_by: string | null;
  submitted_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  published_at: string | null;
  last_comment: string | null;
  flagged_criteria: string[];
}

interface CriterionRow {
  criterion_code: string;
  self_answer: CriterionAnswer | null;
  self_points: number | null;
  evidence: EvidenceRecord[];
  explanation: string | null;
  scored_by: string | null;
  scored_at: string | null;
  review_decision: string | null;
  reviewed_answer: CriterionAnswer | null;
  reviewed_points: number | null;
  reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

interface PartRow {
  part_code: string;
  max_points: number;
  total: number;
  excluded_points: number;
  score: number;
  level: string | null;
  unanswered: number;
}

const num = (value: number | null): number | null => (value === null ? null : Number(value));

/**
 * The assessment detail view: scores, evidence and reasons from the read model; who may see it
 * and what the caller may do next from the stream, so a lagging projection can never widen access.
 */
@Injectable()
export class GetAssessmentQuery {
  constructor(
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly executor: CommandExecutor,
    private readonly contexts: AssessmentContextLoader,
    private readonly uploads: EvidenceUploads,
  ) {}

  async execute(periodId: string, unitCode: string, principal: Principal): Promise<AssessmentDetail> {
    const { state } = await this.executor.load<AssessmentState, AssessmentEvent>(
      assessmentStreamName(periodId, unitCode),
      initialAssessmentState,
      evolveAssessment,
    );
    if (state.status === 'not_started') throw assessmentNotFound(periodId, unitCode);
    const period = await this.contexts.loadPeriod(periodId);
    assertMayReadAssessment(principal, periodId, unitCode, state.submitters.length > 0, period.status === 'not_opened' ? null : period.provinceCode);

    const summary = (await this.database.query<SummaryRow>(`SELECT * FROM ${S}.assessment_summaries WHERE period_id = $1 AND unit_code = $2`, [periodId, unitCode]))
      .rows[0];
    if (!summary) throw assessmentNotFound(periodId, unitCode);
    // The unit's own users re-save the form: each file carries the upload id that names it again.
    const uploadIds = isUnitMember(principal, unitCode) ? await this.uploads.uploadIdsFor(periodId, unitCode) : null;
    const [criteria, parts] = await Promise.all([
      this.database.query<CriterionRow>(`SELECT * FROM ${S}.assessment_criteria WHERE period_id = $1 AND unit_code = $2 ORDER BY criterion_code`, [periodId, unitCode]),
      this.database.query<PartRow>(`SELECT * FROM ${S}.assessment_part_scores WHERE period_id = $1 AND unit_code = $2 ORDER BY part_code`, [periodId, unitCode]),
    ]);
    const window = periodWindow(period);
    const actions = nextActions(state, assessmentActorOf(principal, period.status === 'not_opened' ? '' : period.provinceCode), {
      now: this.clock.now().toISOString(),
      appealWindowEndsAt: appealWindowEndsAt(period),
      period: window,
    });
    // Every field describes the summary's snapshot, its ETag included; publication is one moment, so a
    // decision of the period (read from its stream) that covers the approval makes it published already.
    const publishedBy = publishingDecision(
      { status: summary.status as AssessmentStatus, unitCode, approval: summary.approved_at === null ? null : { at: summary.approved_at } },
      window,
    );
    return {
      periodId,
      unitCode,
      tier: summary.tier,
      framework: { id: summary.framework_id, version: Number(summary.framework_version) },
      status: publishedBy ? 'published' : summary.status,
      revision: Number(summary.revision),
      version: Number(summary.stream_version),
      startedBy: summary.started_by,
      submittedBy: summary.submitted_by,
      submittedAt: summary.submitted_at,
      reviewedBy: summary.reviewed_by,
      reviewedAt: summary.reviewed_at,
      approvedBy: summary.approved_by,
      approvedAt: summary.approved_at,
      publishedAt: publishedBy?.at ?? summary.published_at,
      lastComment: summary.last_comment,
      flaggedCriteria: summary.flagged_criteria,
      parts: parts.rows.map((row) => ({
        partCode: row.part_code,
        maxPoints: Number(row.max_points),
        total: Number(row.total),
        excludedPoints: Number(row.excluded_points),
        score: Number(row.score),
        level: row.level,
        unanswered: Number(row.unanswered),
      })),
      criteria: criteria.rows.map((row) => ({
        code: row.criterion_code,
        self: row.self_answer
          ? {
              answer: row.self_answer,
              points: num(row.self_points),
              evidence: row.evidence.map((record) => evidenceView(periodId, unitCode, record, uploadIds ? (file) => uploadIds.get(evidenceFileKey(file.sha256, file.name)) : undefined)),
              explanation: row.explanation,
              by: row.scored_by,
              at: row.scored_at,
            }
          : null,
        review:
          row.reviewed_answer && row.review_decision
            ? {
                decision: row.review_decision,
                answer: row.reviewed_answer,
                points: num(row.reviewed_points),
                reason: row.reason,
                by: row.reviewed_by,
                at: row.reviewed_at,
              }
            : null,
      })),
      nextActions: actions,
    };
  }
}
