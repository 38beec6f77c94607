import type { CriterionDefinition, FrameworkDefinition } from '@tieuchi/framework/domain';
import type { PeriodWindow } from '@tieuchi/period/domain';
import { foldEvents } from '@tieuchi/shared/kernel';
import type { AssessmentCommand } from '../lib/assessment.commands';
import type { AssessmentActor, AssessmentContext } from '../lib/assessment.context';
import { assessmentDecider } from '../lib/assessment.decider';
import type { AssessmentEvent } from '../lib/assessment.events';
import type { EvidenceRecord } from '../lib/assessment.evidence';
import { deciderSpec, type DeciderOutcome } from '@tieuchi/shared/kernel/testing';
import type { AssessmentState } from '../lib/assessment.state';

const criterion = (code: string, maxPoints: number, rule: CriterionDefinition['rule'], extra: Partial<CriterionDefinition> = {}): CriterionDefinition => ({
  code,
  title: `Tiêu chí ${code}`,
  maxPoints,
  rule,
  mayBeNotApplicable: false,
  evidenceRequired: false,
  explanationRequired: false,
  ...extra,
});

/** A tiny two-part framework with one criterion per scoring rule and per requirement. */
export const FRAMEWORK: FrameworkDefinition = {
  id: 'test-2392',
  version: 1,
  title: 'Test framework',
  rounding: { decimals: 2, mode: 'half_up' },
  notApplicableRescaling: true,
  tiers: [
    {
      tier: 'district',
      parts: [
        {
          code: 'readiness',
          title: 'Điều kiện sẵn sàng',
          maxPoints: 20,
          aggregation: 'sum',
          levels: [{ level: 'IV', label: 'Mức IV', minScore: 10 }],
          groups: [
            {
              code: 'infrastructure',
              title: 'Hạ tầng',
              criteria: [
                criterion('D.R.1', 10, { kind: 'manual' }, { evidenceRequired: true }),
                criterion('D.R.2', 5, { kind: 'yes_no' }, { explanationRequired: true }),
                criterion('D.R.3', 5, { kind: 'ratio', target: 100 }, { mayBeNotApplicable: true }),
              ],
            },
          ],
        },
        {
          code: 'results',
          title: 'Kết quả xây dựng',
          maxPoints: 10,
          aggregation: 'sum',
          levels: [{ level: 'IV', label: 'Mức IV', minScore: 5 }],
          groups: [
            {
              code: 'presence',
              title: 'Hiện diện',
              criteria: [
                criterion('D.K.1', 10, {
                  kind: 'banded',
                  bands: [
                    { from: 0, to: 50, points: 0 },
                    { from: 50, to: 80, points: 5 },
                    { from: 80, points: 10 },
                  ],
                }),
              ],
            },
          ],
        },
      ],
    },
  ],
};

export const FRAMEWORK_V2: FrameworkDefinition = { ...FRAMEWORK, version: 2 };

export const PERIOD_ID = 'daknong-2019';
export const UNIT = '662';

export const actors = {
  editor: { id: 'editor-cj', roles: ['unit_editor'], unitCodes: [UNIT] },
  lead: { id: 'lead-cj', roles: ['unit_lead'], unitCodes: [UNIT] },
  otherLead: { id: 'lead-km', roles: ['unit_lead'], unitCodes: ['663'] },
  reviewer: { id: 'reviewer-1', roles: ['reviewer'], unitCodes: ['67'] },
  reviewer2: { id: 'reviewer-2', roles: ['reviewer'], unitCodes: [] },
  localReviewer: { id: 'reviewer-cj', roles: ['reviewer'], unitCodes: [UNIT] },
  approver: { id: 'approver-1', roles: ['approver'], unitCodes: [] },
  reviewerApprover: { id: 'reviewer-1', roles: ['reviewer', 'approver'], unitCodes: ['67'] },
  leadApprover: { id: 'lead-cj', roles: ['unit_lead', 'approver'], unitCodes: [UNIT] },
  admin: { id: 'admin-1', roles: ['administrator'], unitCodes: [] },
  system: { id: 'system:recalculation', roles: ['system'], unitCodes: [] },
} as const satisfies Record<string, AssessmentActor>;

export const AT = '2019-11-01T02:00:00.000Z';
/** Decision 47/QĐ-UBND of 10/01/2020 with a 15-day window: open until 26/01/2020 00:00 local. */
export const APPEAL_WINDOW_ENDS_AT = '2020-01-25T17:00:00.000Z';

type DataOf<T extends AssessmentCommand['type']> = Extract<AssessmentCommand, { type: T }>['data'];

/** Đắk Nông 2019 open for self-assessment until 29/11 and for review until 20/12 (local days). */
export const OPEN_PERIOD: PeriodWindow = {
  status: 'open',
  provinceCode: '67',
  selfAssessmentEndsAt: '2019-11-29T17:00:00.000Z',
  reviewEndsAt: '2019-12-20T17:00:00.000Z',
  publication: null,
};
export const CLOSED_PERIOD: PeriodWindow = { ...OPEN_PERIOD, status: 'self_assessment_closed' };
export const PUBLISHED_PERIOD: PeriodWindow = {
  ...OPEN_PERIOD,
  status: 'published',
  publication: {
    decisionNumber: '47/QĐ-UBND',
    decisionDate: '2020-01-10',
    by: 'admin-1',
    at: '2020-01-13T02:00:00.000Z',
    decisions: [{ decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10', by: 'admin-1', at: '2020-01-13T02:00:00.000Z' }],
    excludedUnitCodes: [],
  },
};

export interface ContextOptions {
  readonly framework?: FrameworkDefinition;
  readonly appealWindowEndsAt?: string | null;
  readonly period?: PeriodWindow | null;
}

export function contextFor(actor: AssessmentActor, options: ContextOptions = {}): AssessmentContext {
  return {
    actor,
    framework: options.framework ?? FRAMEWORK,
    appealWindowEndsAt: options.appealWindowEndsAt === undefined ? APPEAL_WINDOW_ENDS_AT : options.appealWindowEndsAt,
    period: options.period === undefined ? OPEN_PERIOD : options.period,
  };
}

export function command<T extends AssessmentCommand['type']>(actor: AssessmentActor, type: T, data: DataOf<T>, at = AT): AssessmentCommand {
  return { type, data, metadata: { actor: actor.id, correlationId: 'corr-1', causationId: 'cause-1', occurredAt: at } } as AssessmentCommand;
}

/** given(events) / as(actor).when(type, data) / then(…), with the context built for that actor. */
export function given(events: readonly AssessmentEvent[]) {
  return {
    as: (actor: AssessmentActor, options: ContextOptions = {}) => ({
      when: <T extends AssessmentCommand['type']>(type: T, data: DataOf<T>, at = AT): DeciderOutcome<AssessmentState, AssessmentEvent> =>
        deciderSpec(assessmentDecider(contextFor(actor, options))).given(events).when(command(actor, type, data, at)),
    }),
  };
}

/** Runs a command through the real decider and returns the history with its events appended. */
export function run<T extends AssessmentCommand['type']>(
  history: readonly AssessmentEvent[],
  actor: AssessmentActor,
  type: T,
  data: DataOf<T>,
  at = AT,
  options: ContextOptions = {},
): readonly AssessmentEvent[] {
  const decider = assessmentDecider(contextFor(actor, options));
  return [...history, ...decider.decide(command(actor, type, data, at), foldEvents(decider, history))];
}

export function stateOf(history: readonly AssessmentEvent[]): AssessmentState {
  return foldEvents(assessmentDecider(contextFor(actors.admin)), history);
}

const { editor, lead, reviewer, approver, admin } = actors;

/** The histories of a happy path, one per state of ARCHITECTURE.md §3. */
export const started = run([], lead, 'StartAssessment', { periodId: PERIOD_ID, unitCode: UNIT, tier: 'district' });
export const answered = [
  ['D.R.1', { kind: 'value', value: 8 }, [{ kind: 'file', name: 'Quyết định số 12.pdf', size: 1234, mediaType: 'application/pdf', sha256: 'ab'.repeat(32) }], undefined],
  ['D.R.2', { kind: 'value', value: true }, [], 'Có cổng thông tin điện tử'],
  ['D.R.3', { kind: 'value', value: 60 }, [], undefined],
  ['D.K.1', { kind: 'value', value: 85 }, [], undefined],
].reduce<readonly AssessmentEvent[]>(
  (history, [criterionCode, answer, evidence, explanation]) =>
    run(history, editor, 'ScoreCriterion', {
      criterionCode: criterionCode as string,
      answer: answer as { kind: 'value'; value: number | boolean },
      evidence: evidence as EvidenceRecord[],
      explanation: explanation as string | undefined,
    }),
  started,
);
export const submitted = run(answered, lead, 'SubmitAssessment', {});
export const underReview = run(submitted, reviewer, 'StartReview', {});
export const allReviewed = run(
  ['D.R.2', 'D.R.3', 'D.K.1'].reduce<readonly AssessmentEvent[]>(
    (history, criterionCode) => run(history, reviewer, 'AcceptCriterion', { criterionCode }),
    underReview,
  ),
  reviewer,
  'AdjustCriterion',
  { criterionCode: 'D.R.1', answer: { kind: 'value', value: 6 }, reason: 'Minh chứng chỉ cho 6 điểm' },
);
export const returned = run(underReview, reviewer, 'ReturnAssessment', { comment: 'Bổ sung minh chứng', flaggedCriteria: ['D.R.1'] });
export const reviewed = run(allReviewed, reviewer, 'CompleteReview', {});
export const approved = run(reviewed, approver, 'ApproveAssessment', { revision: 2 });
export const published = run(approved, admin, 'PublishAssessment', {
  periodId: PERIOD_ID,
  decisionNumber: '47/QĐ-UBND',
  decisionDate: '2020-01-10',
});
export const appealed = run(published, lead, 'AppealAssessment', { reason: 'D.R.1 đủ minh chứng', criteriaCodes: ['D.R.1'] }, '2020-01-20T03:00:00.000Z');
