import { effectiveAnswers, RANKED_STATUSES, type StartedAssessment } from '@tieuchi/assessment/domain';
import { frameworkVersion, initialFrameworkState, scorePart, type FrameworkDefinition, type PartScore } from '@tieuchi/framework/domain';
import { rankUnits, type Ranking } from '@tieuchi/ranking/domain';
import type { DaknongHistory } from './daknong-history.builder';

/**
 * Rankings read approved and published scores only (ARCHITECTURE.md §3). An appealed assessment
 * keeps its published score until the appeal is resolved.
 */

/** One unit's scored part in a period, from its approved or published state. */
export interface DaknongPartResult {
  readonly unitCode: string;
  readonly unitName: string;
  readonly framework: FrameworkDefinition;
  readonly score: PartScore;
}

/**
 * Each rankable assessment's part score in a period × tier, keyed by unit code: the effective
 * (reviewed over self) answers scored by the framework version the assessment is pinned to.
 */
export function daknongPartScores(
  history: DaknongHistory,
  periodId: string,
  tier: string,
  partCode: string,
): ReadonlyMap<string, DaknongPartResult> {
  const results = new Map<string, DaknongPartResult>();
  for (const state of history.assessments.values()) {
    if (state.status === 'not_started' || state.periodId !== periodId || state.tier !== tier || !RANKED_STATUSES.includes(state.status)) continue;
    const framework = pinnedFramework(history, state);
    const unit = history.units.get(state.unitCode);
    results.set(state.unitCode, {
      unitCode: state.unitCode,
      unitName: unit && unit.status !== 'unregistered' ? unit.name : state.unitCode,
      framework,
      score: scorePart(framework, tier, partCode, effectiveAnswers(state)),
    });
  }
  return results;
}

/**
 * The ranking of one period × tier × part, with each unit's change against the same province's
 * period of the year before (when the history holds it).
 */
export function daknongRankings(history: DaknongHistory, periodId: string, tier: string, partCode: string): Ranking {
  const period = history.periods.get(periodId);
  if (!period || period.status === 'not_opened') throw new Error(`period ${periodId} is not in the history`);
  const previous = [...history.periods.values()].find(
    (other) => other.status !== 'not_opened' && other.provinceCode === period.provinceCode && other.year === period.year - 1,
  );
  const current = [...daknongPartScores(history, periodId, tier, partCode).values()];
  const previousScores = new Map(
    previous && previous.status !== 'not_opened'
      ? [...daknongPartScores(history, previous.periodId, tier, partCode).values()].map((result) => [result.unitCode, result.score.score] as const)
      : [],
  );
  const framework = frameworkVersion(history.frameworks.get(period.framework.id) ?? initialFrameworkState(), period.framework.version);
  return rankUnits({
    tier,
    partCode,
    units: current.map((result) => ({ unitCode: result.unitCode, unitName: result.unitName, score: result.score.score, level: result.score.level })),
    previousScores,
    ...(framework ? { rounding: framework.rounding } : {}),
  });
}

function pinnedFramework(history: DaknongHistory, state: StartedAssessment): FrameworkDefinition {
  const framework = frameworkVersion(history.frameworks.get(state.framework.id) ?? initialFrameworkState(), state.framework.version);
  if (!framework) throw new Error(`framework ${state.framework.id} v${state.framework.version} is not in the history`);
  return framework;
}
