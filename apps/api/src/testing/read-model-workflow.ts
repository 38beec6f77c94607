import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type AssessmentEvent, type AssessmentState, evolveAssessment, initialAssessmentState } from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { type AssessmentCommandInput, AssessmentSummaryProjection, ExecuteAssessmentCommand } from '@tieuchi/assessment/feature';
import type { FrameworkDefinition } from '@tieuchi/framework/domain';
import { PUBLIC_RANKING_TTL_MS, RankingsProjection } from '@tieuchi/ranking/feature';
import { CommandExecutor, type CommandOutcome } from '@tieuchi/shared/application';
import { demoPrincipal } from './demo-accounts';

/** A one-part framework (district readiness of 50, Mức I–IV at 45/40/37.5/35) that keeps workflow tests short. */
export const miniFramework: FrameworkDefinition = {
  id: 'mini',
  version: 1,
  title: 'Mini framework for tests',
  rounding: { decimals: 2, mode: 'half_up' },
  notApplicableRescaling: false,
  tiers: [
    {
      tier: 'district',
      parts: [
        {
          code: 'readiness',
          title: 'Điều kiện sẵn sàng',
          maxPoints: 50,
          aggregation: 'sum',
          groups: [
            {
              code: 'HT',
              title: 'Hạ tầng',
              criteria: [
                { code: 'D.HT.1', title: 'one', maxPoints: 30, rule: { kind: 'manual' }, mayBeNotApplicable: false, evidenceRequired: false, explanationRequired: false },
                { code: 'D.HT.2', title: 'two', maxPoints: 20, rule: { kind: 'manual' }, mayBeNotApplicable: false, evidenceRequired: false, explanationRequired: false },
              ],
            },
          ],
          levels: [
            { level: 'I', label: 'Mức I', minScore: 45 },
            { level: 'II', label: 'Mức II', minScore: 40 },
            { level: 'III', label: 'Mức III', minScore: 37.5 },
            { level: 'IV', label: 'Mức IV', minScore: 35 },
          ],
        },
      ],
    },
  ],
};

/**
 * Drives assessment commands through the command bus as a demo user, exactly as the HTTP routes
 * do, for workflow steps a test needs as prerequisites rather than as the subject under test.
 */
export function assessmentWorkflow(app: INestApplication) {
  const bus = app.get(CommandBus);
  const executor = app.get(CommandExecutor);
  const sendAs = async (user: string, periodId: string, unitCode: string, command: AssessmentCommandInput): Promise<CommandOutcome<AssessmentEvent>> => {
    const principal = await demoPrincipal(app, user);
    return bus.execute(new ExecuteAssessmentCommand(periodId, unitCode, command, principal, { actor: principal.id, correlationId: 'workflow-0000' }));
  };
  const revision = async (periodId: string, unitCode: string): Promise<number> => {
    const { state } = await executor.load<AssessmentState, AssessmentEvent>(assessmentStreamName(periodId, unitCode), initialAssessmentState, evolveAssessment);
    return state.status === 'not_started' ? 0 : state.revision;
  };
  let last: string | null = null;
  const send = async (user: string, periodId: string, unitCode: string, command: AssessmentCommandInput): Promise<CommandOutcome<AssessmentEvent>> => {
    const outcome = await sendAs(user, periodId, unitCode, command);
    last = outcome.checkpoint ?? last;
    return outcome;
  };
  return {
    send,
    /** Checkpoint of the last event this workflow appended. */
    get lastCheckpoint(): string | null {
      return last;
    },
    /** Started, both criteria self-scored (points of D.HT.1 and D.HT.2) and submitted by the lead. */
    async submitted(periodId: string, unitCode: string, points: readonly [number, number]): Promise<void> {
      await send(`editor.${unitCode}@daknong`, periodId, unitCode, { type: 'StartAssessment', data: { periodId, unitCode, tier: 'district' } });
      for (const [index, value] of points.entries()) {
        await send(`editor.${unitCode}@daknong`, periodId, unitCode, {
          type: 'ScoreCriterion',
          data: { criterionCode: `D.HT.${index + 1}`, answer: { kind: 'value', value }, evidence: [{ kind: 'reference', reference: `ev-${unitCode}-${index + 1}` }], explanation: `giải trình ${index + 1}` },
        });
      }
      await send(`lead.${unitCode}@daknong`, periodId, unitCode, { type: 'SubmitAssessment', data: {} });
    },
    /** Reviewed by reviewer.1 (accepting, or adjusting D.HT.1 to `adjustFirstTo` with a reason), then approved by approver.1. */
    async reviewedAndApproved(periodId: string, unitCode: string, adjustFirstTo?: number): Promise<void> {
      const reviewer = 'reviewer.1@daknong';
      await send(reviewer, periodId, unitCode, { type: 'StartReview', data: {} });
      if (adjustFirstTo === undefined) await send(reviewer, periodId, unitCode, { type: 'AcceptCriterion', data: { criterionCode: 'D.HT.1' } });
      else {
        await send(reviewer, periodId, unitCode, {
          type: 'AdjustCriterion',
          data: { criterionCode: 'D.HT.1', answer: { kind: 'value', value: adjustFirstTo }, reason: 'minh chứng chưa đủ' },
        });
      }
      await send(reviewer, periodId, unitCode, { type: 'AcceptCriterion', data: { criterionCode: 'D.HT.2' } });
      await send(reviewer, periodId, unitCode, { type: 'CompleteReview', data: {} });
      await send('approver.1@daknong', periodId, unitCode, { type: 'ApproveAssessment', data: { revision: await revision(periodId, unitCode) } });
    },
  };
}

/**
 * Waits until the assessment and ranking projections have applied everything up to `checkpoint`
 * (a command outcome's). The feed's visible head is no substitute: an open transaction anywhere
 * hides the latest events from readers for a while.
 */
export async function waitForProjections(app: INestApplication, checkpoint: string | null, timeoutMs = 20_000): Promise<void> {
  if (checkpoint === null) throw new Error('nothing to wait for: the command appended no event');
  await app.get(AssessmentSummaryProjection).waitFor(checkpoint, timeoutMs);
  await app.get(RankingsProjection).waitFor(checkpoint, timeoutMs);
}

/**
 * The anonymous ranking answer once it satisfies `shows`. A new official edition drops the answers
 * PublicRankingResponses holds when the rankings projection's NOTIFY reaches the API, which is just
 * after the commit that waitForProjections sees, not before it: a request sent in between is still
 * served the held answer. The wait is bounded by half the hold time (PUBLIC_RANKING_TTL_MS); the
 * answer comes back either way, for the caller's expectations to judge.
 */
export async function publicAnswerOnceItShows<T extends { body: unknown }>(
  get: () => Promise<T>,
  shows: (body: T['body']) => boolean,
  withinMs = PUBLIC_RANKING_TTL_MS / 2,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const answer = await get();
    if (shows(answer.body) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
