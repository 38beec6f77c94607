import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import type { AssessmentEvent, EvidenceRecord } from '@tieuchi/assessment/domain';
import { type AssessmentCommandResponse, ExecuteAssessmentCommand, toCommandResponse } from '@tieuchi/assessment/feature';
import type { CriterionAnswer, CriterionDefinition, FrameworkDefinition } from '@tieuchi/framework/domain';
import type { CommandOutcome } from '@tieuchi/shared/application';
import { demoPrincipal } from './demo-accounts';

/** Every criterion a unit of the tier answers, in the framework's order (both parts). */
export function tierCriteriaOf(framework: FrameworkDefinition, tier: string): readonly CriterionDefinition[] {
  const definition = framework.tiers.find((t) => t.tier === tier);
  if (!definition) throw new Error(`framework ${framework.id} has no tier ${tier}`);
  return definition.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria));
}

export interface ScoreCriterionBody {
  readonly answer: CriterionAnswer;
  /** Uploaded files by id (POST …/evidence), or documents named in words. */
  readonly evidence: readonly EvidenceItem[];
  readonly explanation?: string;
}

/**
 * A plausible self score for a criterion (`share` of what it can reach), with evidence and an
 * explanation exactly where the framework asks for them, as a unit editor would fill the form.
 */
export type EvidenceItem = { readonly id: string } | { readonly reference: string };

export function selfScoreBody(criterion: CriterionDefinition, share = 0.8, evidence: readonly EvidenceItem[] = []): ScoreCriterionBody {
  const answer = ((): CriterionAnswer => {
    switch (criterion.rule.kind) {
      case 'yes_no':
        return { kind: 'value', value: true };
      case 'manual':
        return { kind: 'value', value: Math.round(criterion.maxPoints * share * 100) / 100 };
      case 'ratio':
        return { kind: 'value', value: Math.round(criterion.rule.target * share) };
      case 'banded': {
        const bands = criterion.rule.bands;
        return { kind: 'value', value: bands[Math.max(0, Math.floor(bands.length * share) - 1)]?.from ?? 0 };
      }
    }
  })();
  return {
    answer,
    evidence: criterion.evidenceRequired ? evidence : [],
    ...(criterion.explanationRequired ? { explanation: `Giải trình ${criterion.code}: kinh phí từ ngân sách xã` } : {}),
  };
}

/** The same answer as a command's data, for tests that send commands on the bus: evidence is named, not uploaded. */
export function selfScoreData(criterion: CriterionDefinition, share = 0.8): { answer: CriterionAnswer; evidence: EvidenceRecord[]; explanation?: string } {
  const { answer, explanation } = selfScoreBody(criterion, share);
  return {
    answer,
    evidence: criterion.evidenceRequired ? [{ kind: 'reference', reference: `Minh chứng ${criterion.code}: Quyết định 12/QĐ-UBND` }] : [],
    ...(explanation !== undefined ? { explanation } : {}),
  };
}

/** The command routes of one unit's assessment in one period. */
export function assessmentRoutes(periodId: string, unitCode: string) {
  const base = `/periods/${periodId}/assessments/${unitCode}`;
  const criterion = (code: string, verb: string) => `${base}/criteria/${code}/${verb}`;
  return {
    streamName: assessmentStreamName(periodId, unitCode),
    start: base,
    score: (code: string) => criterion(code, 'score'),
    notApplicable: (code: string) => criterion(code, 'not-applicable'),
    accept: (code: string) => criterion(code, 'accept'),
    adjust: (code: string) => criterion(code, 'adjust'),
    submit: `${base}/submit`,
    withdraw: `${base}/withdraw`,
    startReview: `${base}/review/start`,
    completeReview: `${base}/review/complete`,
    returnToUnit: `${base}/return`,
    resubmit: `${base}/resubmit`,
    approve: `${base}/approve`,
    sendBack: `${base}/send-back`,
    appeal: `${base}/appeal`,
    resolveAppeal: `${base}/appeal/resolve`,
  };
}

/**
 * PublishAssessment has no route of its own (it happens when the period is published); until that
 * use case exists, tests send it through the same CommandBus and handler as the routes, as admin.
 */
export async function publishAssessmentThroughBus(
  app: INestApplication,
  periodId: string,
  unitCode: string,
  decision: { readonly decisionNumber: string; readonly decisionDate: string },
): Promise<AssessmentCommandResponse> {
  const admin = await demoPrincipal(app, 'admin@daknong');
  const command = new ExecuteAssessmentCommand(periodId, unitCode, { type: 'PublishAssessment', data: { periodId, ...decision } }, admin, {
    actor: admin.id,
    correlationId: `publish-${periodId}-${unitCode}`,
  });
  const outcome = await app.get(CommandBus).execute<ExecuteAssessmentCommand, CommandOutcome<AssessmentEvent>>(command);
  return toCommandResponse(outcome);
}
