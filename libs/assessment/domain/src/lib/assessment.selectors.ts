import type { CriterionAnswer } from '@tieuchi/framework/domain';
import { isDomainError } from '@tieuchi/shared/kernel';
import type { AssessmentCommandType } from './assessment.commands';
import type { AssessmentActor } from './assessment.context';
import { commandGuards, type GuardClock } from './assessment.guards';
import type { AssessmentState, CriterionRecord, ReviewedScore, RevisionRecord, SelfScore } from './assessment.state';

/** One criterion as a form or an audit view shows it: both scores side by side. */
export interface CriterionView {
  readonly code: string;
  readonly selfPoints: number | null;
  readonly reviewedPoints: number | null;
  /** The reviewed points when reviewed, else the self points; null when not applicable or unanswered. */
  readonly effectivePoints: number | null;
  readonly notApplicable: boolean;
  readonly self: SelfScore | null;
  readonly review: ReviewedScore | null;
}

export function effectivePointsOf(record: CriterionRecord | undefined): number | null {
  if (!record) return null;
  return record.review ? record.review.points : (record.self?.points ?? null);
}

export function effectiveAnswerOf(record: CriterionRecord | undefined): CriterionAnswer | null {
  return record?.review?.answer ?? record?.self?.answer ?? null;
}

function criteriaOf(state: AssessmentState, revision?: number): readonly CriterionRecord[] {
  if (state.status === 'not_started') return [];
  if (revision === undefined) return Object.values(state.criteria);
  return Object.values(revisionAt(state, revision)?.criteria ?? {});
}

/** The criteria now, or as frozen at an earlier revision. */
export function criteriaView(state: AssessmentState, revision?: number): readonly CriterionView[] {
  return criteriaOf(state, revision).map((record) => {
    const answer = effectiveAnswerOf(record);
    return {
      code: record.code,
      selfPoints: record.self?.points ?? null,
      reviewedPoints: record.review?.points ?? null,
      effectivePoints: effectivePointsOf(record),
      notApplicable: answer?.kind === 'not_applicable',
      self: record.self,
      review: record.review,
    };
  });
}

/** Points per criterion code (null: not applicable), reviewed over self. */
export function effectivePoints(state: AssessmentState, revision?: number): ReadonlyMap<string, number | null> {
  return new Map(criteriaOf(state, revision).map((record) => [record.code, effectivePointsOf(record)]));
}

/** Answers per criterion code, reviewed over self: the input `scorePart` of the framework engine takes. */
export function effectiveAnswers(state: AssessmentState, revision?: number): ReadonlyMap<string, CriterionAnswer> {
  return new Map(
    criteriaOf(state, revision).flatMap((record) => {
      const answer = effectiveAnswerOf(record);
      return answer ? [[record.code, answer] as const] : [];
    }),
  );
}

export function revisionAt(state: AssessmentState, revision: number): RevisionRecord | undefined {
  return state.status === 'not_started' ? undefined : state.revisions.findLast((r) => r.revision === revision);
}

/**
 * The commands this actor may issue now. Pass `clock.now` to have the appeal window and the
 * deadlines judged too; without `clock.period` the unit's commands are not offered (a period
 * nobody loaded is treated as closed, as decide treats it).
 */
export function nextActions(
  state: AssessmentState,
  actor: AssessmentActor,
  clock: Partial<GuardClock> = {},
): readonly AssessmentCommandType[] {
  const judgedAt: GuardClock = { now: clock.now ?? null, appealWindowEndsAt: clock.appealWindowEndsAt ?? null, period: clock.period ?? null };
  return (Object.keys(commandGuards) as AssessmentCommandType[]).filter((type) => {
    try {
      commandGuards[type](state, actor, judgedAt);
      return true;
    } catch (error) {
      if (isDomainError(error)) return false;
      throw error;
    }
  });
}
