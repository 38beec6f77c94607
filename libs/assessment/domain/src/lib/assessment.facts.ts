import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { assertNever } from '@tieuchi/shared/kernel';
import type { AssessmentEvent, PartRecalculation } from './assessment.events';
import { effectiveAnswerOf } from './assessment.selectors';
import type { AssessmentState, AssessmentStatus, StartedAssessment } from './assessment.state';
import { statusAfter } from './assessment.status';

/**
 * What every reader of an assessment needs of it: the read-side contract of the assessment
 * context. Read models, processes, the dispatcher and the audit fold events through
 * evolveAssessmentFacts instead of restating the lifecycle; the property test of this file proves
 * that it always equals factsOf(the full fold by evolveAssessment).
 */
export interface AssessmentFacts {
  readonly periodId: string;
  readonly unitCode: string;
  readonly status: AssessmentStatus;
  readonly tier: string;
  /** The framework version the assessment is scored under now. */
  readonly framework: { readonly id: string; readonly version: number };
  readonly revision: number;
  /** The answer that counts per criterion code: the reviewed one over the unit's own. */
  readonly answers: Readonly<Record<string, CriterionAnswer>>;
  /** The source event of every recalculation recorded (those that name one), so a cause is never recorded twice. */
  readonly recalculatedBy: readonly string[];
  /**
   * The parts the last recalculation recorded, while no answer has been given since: until then
   * they are the assessment's scores, and a reader need not score the answers again.
   */
  readonly recalculatedParts: readonly PartRecalculation[] | null;
}

/** What recalculating an assessment reads of it. */
export type ScoringInputs = Pick<AssessmentFacts, 'status' | 'tier' | 'framework' | 'revision' | 'answers' | 'recalculatedBy'>;

/** The facts of a folded assessment (null before it is started). */
export function factsOf(state: StartedAssessment): AssessmentFacts;
export function factsOf(state: AssessmentState): AssessmentFacts | null;
export function factsOf(state: AssessmentState): AssessmentFacts | null {
  if (state.status === 'not_started') return null;
  const answers: Record<string, CriterionAnswer> = {};
  for (const record of Object.values(state.criteria)) {
    const answer = effectiveAnswerOf(record);
    if (answer) answers[record.code] = answer;
  }
  const last = state.recalculations.at(-1);
  // A recalculation froze the criteria of its revision: the very same criteria now means no answer since.
  const unanswered = last !== undefined && state.revisions.find((r) => r.revision === last.revision && r.kind === 'recalculated')?.criteria === state.criteria;
  return {
    periodId: state.periodId,
    unitCode: state.unitCode,
    status: state.status,
    tier: state.tier,
    framework: state.framework,
    revision: state.revision,
    answers,
    recalculatedBy: state.recalculations.flatMap((r) => (r.cause.sourceEventId === null ? [] : [r.cause.sourceEventId])),
    recalculatedParts: unanswered ? last.parts : null,
  };
}

/** The scoring inputs of a folded assessment. */
export const scoringInputsOf = (state: StartedAssessment): ScoringInputs => factsOf(state);

type WithAnswer = (facts: AssessmentFacts, code: string, answer: CriterionAnswer) => AssessmentFacts;

const withAnswer: WithAnswer = (facts, code, answer) => ({
  ...facts,
  answers: { ...facts.answers, [code]: answer },
  recalculatedParts: null,
});

/**
 * Whether an event can change the answers that count: a reader that keeps the answers apart from
 * the rest need read and write them only for these (the other events leave them as they are).
 */
export function changesAnswers(event: AssessmentEvent): boolean {
  return event.type === 'CriterionScored' || event.type === 'CriterionAccepted' || event.type === 'CriterionAdjusted' || event.type === 'AppealResolved';
}

/**
 * Stands for the answers of an assessment a reader did not read, because its batch neither changes
 * nor scores them (a recalculation run would read every form of a period): writing or scoring
 * them is a bug, which readers check by identity.
 */
export const UNREAD_ANSWERS: Readonly<Record<string, CriterionAnswer>> = Object.freeze({});

/** One event applied to an assessment's facts, exactly as evolveAssessment would change them. */
export function evolveAssessmentFacts(facts: AssessmentFacts | null, event: AssessmentEvent): AssessmentFacts | null {
  return evolve(facts, event, withAnswer);
}

function evolve(facts: AssessmentFacts | null, event: AssessmentEvent, withAnswer: WithAnswer): AssessmentFacts | null {
  if (event.type === 'AssessmentStarted') {
    const { periodId, unitCode, tier, frameworkId, frameworkVersion } = event.data;
    return {
      periodId,
      unitCode,
      status: 'draft',
      tier,
      framework: { id: frameworkId, version: frameworkVersion },
      revision: 0,
      answers: {},
      recalculatedBy: [],
      recalculatedParts: null,
    };
  }
  // As in evolveAssessment: nothing but AssessmentStarted starts an assessment.
  if (facts === null) return null;
  const status = statusAfter(event, facts.status) ?? facts.status;
  const moved = status === facts.status ? facts : { ...facts, status };
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
      const { revision, cause, parts } = event.data;
      return {
        ...moved,
        revision,
        framework: { id: cause.frameworkId, version: cause.frameworkVersion },
        recalculatedBy: cause.sourceEventId === null ? moved.recalculatedBy : [...moved.recalculatedBy, cause.sourceEventId],
        recalculatedParts: parts,
      };
    }
    case 'SubmissionWithdrawn':
    case 'ReviewStarted':
    case 'AssessmentReturned':
    case 'AssessmentApproved':
    case 'AssessmentSentBack':
    case 'ReviewReopened':
    case 'AssessmentPublished':
    case 'AssessmentAppealed':
      return moved;
    default:
      return assertNever(event, 'assessment event');
  }
}

/**
 * Folds one stream's events onto the facts a reader kept, as evolveAssessmentFacts event by event
 * would. The answers, and the facts holding them, are copied once per run, not per answer (that is
 * quadratic in the form's size, and an object per event, over a national history); the copies
 * never leak before the fold ends, so the facts given are never changed.
 */
export function foldAssessmentFacts(facts: AssessmentFacts | null, events: Iterable<AssessmentEvent>): AssessmentFacts | null {
  let owned: Record<string, CriterionAnswer> | null = null;
  let ownedFacts: AssessmentFacts | null = null;
  const withOwnedAnswer: WithAnswer = (current, code, answer) => {
    if (current !== ownedFacts || current.answers !== owned) {
      if (current.answers !== owned) owned = { ...current.answers };
      ownedFacts = { ...current, answers: owned, recalculatedParts: null };
    }
    (owned as Record<string, CriterionAnswer>)[code] = answer;
    return ownedFacts;
  };
  let folded = facts;
  for (const event of events) folded = evolve(folded, event, withOwnedAnswer);
  return folded;
}


/**
 * The facts of every assessment a batch of events names, each stream's events folded at once onto
 * the facts kept of it (events of different streams never change each other's facts). The result
 * holds the kept facts too; a stream whose facts did not move keeps the very same object.
 */
export function foldFactsByStream(
  kept: ReadonlyMap<string, AssessmentFacts>,
  events: Iterable<AssessmentEvent & { readonly streamName: string }>,
): Map<string, AssessmentFacts> {
  const runs = new Map<string, AssessmentEvent[]>();
  for (const event of events) {
    const run = runs.get(event.streamName);
    if (run) run.push(event);
    else runs.set(event.streamName, [event]);
  }
  const folded = new Map(kept);
  for (const [stream, run] of runs) {
    const facts = foldAssessmentFacts(kept.get(stream) ?? null, run);
    if (facts) folded.set(stream, facts);
  }
  return folded;
}