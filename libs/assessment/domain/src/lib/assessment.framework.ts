import { scoreCriterion, type CriterionAnswer, type CriterionDefinition, type FrameworkDefinition } from '@tieuchi/framework/domain';
import { DomainError, isDomainError } from '@tieuchi/shared/kernel';
import { AssessmentErrorCode as E, assessmentError } from './assessment.errors';
import type { StartedAssessment } from './assessment.state';

export function tierCriteria(framework: FrameworkDefinition, tier: string): readonly CriterionDefinition[] {
  const definition = framework.tiers.find((t) => t.tier === tier);
  if (!definition) {
    throw assessmentError(E.unknownTier, 'validation', `framework ${framework.id} has no tier ${tier}`, 'data.tier', { tier });
  }
  return definition.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria));
}

/** The context must carry the version the assessment is pinned to, or answers would be judged by other rules. */
export function requirePinnedFramework(state: StartedAssessment, framework: FrameworkDefinition): void {
  if (framework.id !== state.framework.id || framework.version !== state.framework.version) {
    throw assessmentError(
      E.frameworkMismatch,
      'conflict',
      `the assessment is pinned to ${state.framework.id} v${state.framework.version}, not ${framework.id} v${framework.version}`,
    );
  }
}

export function requireCriterion(
  state: StartedAssessment,
  framework: FrameworkDefinition,
  code: string,
  field = 'data.criterionCode',
): CriterionDefinition {
  requirePinnedFramework(state, framework);
  const criterion = tierCriteria(framework, state.tier).find((c) => c.code === code);
  if (!criterion) {
    throw assessmentError(E.unknownCriterion, 'validation', `criterion ${code} is not in ${framework.id} for tier ${state.tier}`, field, {
      criterionCode: code,
    });
  }
  return criterion;
}

/**
 * Points by the framework's own rule and rounding. Its refusals (above maximum, wrong kind of
 * answer, N/A not allowed) keep their codes; only the field is re-rooted at the command.
 */
export function pointsFor(
  criterion: CriterionDefinition,
  answer: CriterionAnswer,
  framework: FrameworkDefinition,
  field = 'data',
): number | null {
  // A ratio is answered as a percentage: above 100 is a typing or counting error, never full marks.
  if (criterion.rule.kind === 'ratio' && answer.kind === 'value' && typeof answer.value === 'number' && answer.value > 100) {
    throw assessmentError(E.invalidAnswer, 'validation', `${criterion.code} is a percentage: ${answer.value} is above 100`, `${field}.answer.value`, {
      criterionCode: criterion.code,
      maximum: 100,
    });
  }
  try {
    return scoreCriterion(criterion, answer, framework.rounding);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    throw new DomainError(error.code, error.category, error.message, error.field ? `${field}.${error.field}` : field, error.details);
  }
}

/** What submission requires: every applicable criterion answered, with evidence and explanation where asked. */
export function requireComplete(state: StartedAssessment, framework: FrameworkDefinition): void {
  requirePinnedFramework(state, framework);
  const criteria = tierCriteria(framework, state.tier).filter((c) => !c.excluded);
  const unanswered = criteria.filter((c) => !state.criteria[c.code]?.self).map((c) => c.code);
  if (unanswered.length > 0) {
    throw assessmentError(E.unansweredCriteria, 'validation', `${unanswered.length} criteria are unanswered`, 'criteria', {
      criteria: unanswered,
      errors: perCriterion(unanswered, 'has no answer'),
    });
  }
  const answered = criteria.flatMap((c) => {
    const self = state.criteria[c.code]?.self;
    return self ? [{ criterion: c, self }] : [];
  });
  // A not-applicable answer is justified by its explanation; it has nothing to prove with evidence.
  const noEvidence = answered
    .filter(({ criterion, self }) => criterion.evidenceRequired && self.answer.kind !== 'not_applicable' && self.evidence.length === 0)
    .map(({ criterion }) => criterion.code);
  if (noEvidence.length > 0) {
    throw assessmentError(E.evidenceRequired, 'validation', `evidence is required for ${noEvidence.join(', ')}`, 'criteria', {
      criteria: noEvidence,
      errors: perCriterion(noEvidence, 'needs evidence (minh chứng)'),
    });
  }
  const noExplanation = answered
    .filter(({ criterion, self }) => criterion.explanationRequired && !self.explanation)
    .map(({ criterion }) => criterion.code);
  if (noExplanation.length > 0) {
    throw assessmentError(E.explanationRequired, 'validation', `an explanation is required for ${noExplanation.join(', ')}`, 'criteria', {
      criteria: noExplanation,
      errors: perCriterion(noExplanation, 'needs an explanation'),
    });
  }
}

/** One problem per criterion, in the shape the HTTP layer lists field by field. */
function perCriterion(codes: readonly string[], problem: string): { field: string; messages: string[] }[] {
  return codes.map((code) => ({ field: `criteria.${code}`, messages: [`${code} ${problem}`] }));
}
