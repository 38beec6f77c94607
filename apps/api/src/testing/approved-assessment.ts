import type { INestApplication } from '@nestjs/common';
import {
  type AssessmentCommand,
  type AssessmentEvent,
  type AssessmentState,
  decideAssessment,
  evolveAssessment,
  initialAssessmentState,
} from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { AssessmentContextLoader } from '@tieuchi/assessment/feature';
import { findCriterion, findTier, type FrameworkDefinition } from '@tieuchi/framework/domain';
import { CommandExecutor } from '@tieuchi/shared/application';
import { demoPrincipal } from './demo-accounts';

type Input = Pick<AssessmentCommand, 'type' | 'data'>;

/**
 * Drives one unit's assessment of a period to `approved` through the executor and the assessment
 * decider (start, score every criterion, submit, review, approve), as the demo users would.
 */
export async function seedApprovedAssessment(app: INestApplication, periodId: string, unitCode: string, tier: string): Promise<void> {
  const executor = app.get(CommandExecutor);
  const contexts = app.get(AssessmentContextLoader);
  const period = await contexts.loadPeriod(periodId);
  if (period.status === 'not_opened') throw new Error(`no period ${periodId}`);
  const framework: FrameworkDefinition = await contexts.loadFramework(period.framework.id, period.framework.version);
  const send = async (userId: string, command: Input): Promise<void> => {
    const principal = await demoPrincipal(app, userId);
    const context = await contexts.contextFor(periodId, principal);
    await executor.execute<AssessmentState, AssessmentEvent>(
      {
        streamName: assessmentStreamName(periodId, unitCode),
        initialState: initialAssessmentState,
        evolve: evolveAssessment,
        decide: (state, metadata) => decideAssessment({ ...command, metadata } as AssessmentCommand, state, context),
      },
      { actor: userId, correlationId: `seed-${unitCode}` },
    );
  };
  const codes = (findTier(framework, tier)?.parts ?? []).flatMap((part) => part.groups.flatMap((group) => group.criteria.filter((c) => !c.excluded).map((c) => c.code)));
  await send(`editor.${unitCode}@daknong`, { type: 'StartAssessment', data: { periodId, unitCode, tier } });
  for (const criterionCode of codes) {
    const rule = findCriterion(framework, criterionCode)?.criterion.rule.kind;
    await send(`editor.${unitCode}@daknong`, {
      type: 'ScoreCriterion',
      data: { criterionCode, answer: { kind: 'value', value: rule === 'yes_no' ? false : 0 }, evidence: [{ kind: 'reference', reference: 'minh-chung-1' }], explanation: 'Chưa triển khai' },
    });
  }
  await send(`lead.${unitCode}@daknong`, { type: 'SubmitAssessment', data: {} });
  await send('reviewer.1@daknong', { type: 'StartReview', data: {} });
  for (const criterionCode of codes) await send('reviewer.1@daknong', { type: 'AcceptCriterion', data: { criterionCode } });
  await send('reviewer.1@daknong', { type: 'CompleteReview', data: {} });
  const { state } = await executor.load<AssessmentState, AssessmentEvent>(assessmentStreamName(periodId, unitCode), initialAssessmentState, evolveAssessment);
  if (state.status === 'not_started') throw new Error('assessment not started');
  await send('approver.1@daknong', { type: 'ApproveAssessment', data: { revision: state.revision } });
}
