import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { assertNever } from '@tieuchi/shared/kernel';
import type { AssessmentEvent } from './assessment.events';
import { effectiveAnswerOf } from './assessment.selectors';
import type { AssessmentState, AssessmentStatus, StartedAssessment } from './assessment.state';
import { statusAfter } from './assessment.status';

/**
 * What recalculating an assessment needs of it, and nothing more. A recalculation process keeps
 * this per assessment as the events pass (evolveScoringInputs), so that recalculating a national
 * period reads one small record per assessment instead of folding its ~200-event stream. It must
 * always equal scoringInputsOf(the full fold): the property test of this file proves it.
 */
export interface ScoringInputs {
  readonly status: AssessmentStatus;
  readonly tier: string;
  /** The framework version the assessment is scored under now. */
  readonly framework: { readonly id: string; readonly version: number };
  readonly revision: number;
  /** The answer that counts per criterion code: the reviewed one over the unit's own. */
  readonly answers: Readonly<Record<string, CriterionAnswer>>;
  /** The source event of every recalculation recorded (those that name one), so a cause is never recorded twice. */
  readonly recalculatedBy: readonly string[];
}

/** The scoring inputs of a folded assessment (null before it is started). */
export function scoringInputsOf(state: StartedAssessment): ScoringInputs;
export function scoringInputsOf(state: AssessmentState): ScoringInputs | null;
export function scoringInputsOf(state: AssessmentState): ScoringInputs | null {
  if (state.status === 'not_started') return null;
  const answers: Record<string, CriterionAnswer> = {};
  for (const record of Object.values(state.criteria)) {
    const answer = effectiveAnswerOf(record);
    if (answer) answers[record.code] = answer;
  }
  return {
    status: state.status,
    tier: state.tier,
    framework: state.framework,
    revision: state.revision,
    answers,
    recalculatedBy: state.recalculations.flatMap((r) => (r.cause.sourceEventId === null ? [] : [r.cause.sourceEventId])),
  };
}

const withAnswer = (inputs: ScoringInputs, code: string, answer: CriterionAnswer): ScoringInputs => ({
  ...inputs,
  answers: { ...inputs.answers, [code]: answer },
});

/**
 * Whether an event can change the answers that count: a process that keeps the answers apart from
 * the rest need read and write them only for these (the other events leave them as they are).
 */
export function changesAnswers(event: AssessmentEvent): boolean {
  return event.type === 'CriterionScored' || event.type === 'CriterionAccepted' || event.type === 'CriterionAdjusted' || event.type === 'AppealResolved';
}

/** One event applied to the scoring inputs, exactly as evolveAssessment would change them. */
export function evolveScoringInputs(inputs: ScoringInputs | null, event: AssessmentEvent): ScoringInputs | null {
  if (event.type === 'AssessmentStarted') {
    const { tier, frameworkId, frameworkVersion } = event.data;
    return { status: 'draft', tier, framework: { id: frameworkId, version: frameworkVersion }, revision: 0, answers: {}, recalculatedBy: [] };
  }
  // As in evolveAssessment: nothing but AssessmentStarted starts an assessment.
  if (inputs === null) return null;
  const status = statusAfter(event, inputs.status) ?? inputs.status;
  const moved = status === inputs.status ? inputs : { ...inputs, status };
  switch (event.type) {
    case 'CriterionScored':
    case 'CriterionAccepted':
    case 'CriterionAdjusted':
      // A new self score clears the review, so its answer counts; a review's answer counts over the self score.
      return withAnswer(moved, event.data.criterionCode, event.data.answer);
    case 'AssessmentSubmitted':
    case 'AssessmentResubmitted':
    case 'ReviewCompleted':
      return { ...moved, revision: event.data.revision };
    case 'AppealResolved': {
      if (event.data.outcome === 'upheld') return moved;
      const revised = event.data.adjustments.reduce((acc, a) => withAnswer(acc, a.criterionCode, a.answer), moved);
      return { ...revised, revision: event.data.revision };
    }
    case 'ScoresRecalculated': {
      const { revision, cause } = event.data;
      return {
        ...moved,
        revision,
        framework: { id: cause.frameworkId, version: cause.frameworkVersion },
        recalculatedBy: cause.sourceEventId === null ? moved.recalculatedBy : [...moved.recalculatedBy, cause.sourceEventId],
      };
    }
    case 'SubmissionWithdrawn':
    case 'ReviewStarted':
    case 'AssessmentReturned':
    case 'AssessmentApproved':
    case 'AssessmentSentBack':
    case 'AssessmentPublished':
    case 'AssessmentAppealed':
      return moved;
    default:
      return assertNever(event, 'assessment event');
  }
}
