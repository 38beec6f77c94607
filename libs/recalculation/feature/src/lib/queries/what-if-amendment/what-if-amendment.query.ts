import { type AssessmentEvent, type AssessmentState, effectiveAnswers, evolveAssessment, initialAssessmentState } from '@tieuchi/assessment/domain';
import { applyAmendment, type FrameworkAmendment, type FrameworkDefinition, frameworkVersion } from '@tieuchi/framework/domain';
import { loadFrameworkState } from '@tieuchi/framework/data-access';
import { evolvePeriod, initialPeriodState, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { periodStreamName } from '@tieuchi/period/data-access';
import { rankUnits, type Ranking, type UnitScore } from '@tieuchi/ranking/domain';
import { recalculationRuns } from '@tieuchi/recalculation/data-access';
import { type CommandExecutor, READ_MODEL_SCHEMA } from '@tieuchi/shared/application';
import type { SqlExecutor } from '@tieuchi/shared/event-store';
import { DomainError } from '@tieuchi/shared/kernel';
import { unitNamesByCode } from '@tieuchi/unit/data-access';
import { scoreAssessment } from '../../jobs/recalculate-assessment/recalculate-assessment.processor';

export interface UnitStanding {
  readonly score: number;
  readonly level: string | null;
  /** Null when unranked. */
  readonly rank: number | null;
}

export interface WhatIfChange {
  readonly tier: string;
  readonly partCode: string;
  readonly unitCode: string;
  /** The unit's official name as the units read model holds it; null when it does not know the unit. */
  readonly unitName: string | null;
  readonly before: UnitStanding;
  readonly after: UnitStanding;
  readonly levelChanged: boolean;
  readonly rankChanged: boolean;
}

export interface WhatIfResult {
  readonly frameworkId: string;
  readonly periodId: string;
  /** The version the period pins now (or the base version asked for), and the version the amendment makes. */
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly assessments: number;
  /** Only units whose level or rank would change. */
  readonly changes: readonly WhatIfChange[];
  readonly rankings: readonly { readonly tier: string; readonly partCode: string; readonly before: Ranking['counts']; readonly after: Ranking['counts'] }[];
}

/**
 * The consequence of an amendment before it is made: every ranked assessment of the period scored
 * under the version it is on and under the amended one, ranked both ways. Reads only.
 */
export async function whatIfAmendment(
  executor: CommandExecutor,
  readModel: SqlExecutor,
  input: { readonly frameworkId: string; readonly periodId: string; readonly amendment: FrameworkAmendment; readonly baseVersion?: number },
): Promise<WhatIfResult> {
  const framework = await loadFrameworkState(executor, input.frameworkId);
  if (framework.status !== 'published') {
    throw new DomainError('FRAMEWORK.NOT_FOUND', 'not_found', `There is no published framework "${input.frameworkId}".`, 'frameworkId');
  }
  const { state: period } = await executor.load<PeriodState, PeriodEvent>(periodStreamName(input.periodId), initialPeriodState, evolvePeriod);
  if (period.status === 'not_opened') throw new DomainError('PERIOD.NOT_FOUND', 'not_found', `There is no period "${input.periodId}".`, 'periodId');
  if (period.framework.id !== input.frameworkId) {
    throw new DomainError('RECALCULATION.FRAMEWORK_MISMATCH', 'validation', `Period ${input.periodId} pins ${period.framework.id}.`, 'periodId');
  }

  const definitions = new Map<number, FrameworkDefinition>();
  const definitionAt = (version: number): FrameworkDefinition => {
    const found = definitions.get(version) ?? frameworkVersion(framework, version);
    if (!found) throw new DomainError('FRAMEWORK.NOT_FOUND', 'not_found', `Framework ${input.frameworkId} has no version ${version}.`);
    definitions.set(version, found);
    return found;
  };

  // An issued amendment is previewed from the version it amended; a draft from the current one.
  let base = framework.current.definition;
  if (input.baseVersion !== undefined) {
    const found = frameworkVersion(framework, input.baseVersion);
    if (!found) throw new DomainError('FRAMEWORK.VERSION_NOT_FOUND', 'validation', `Framework ${input.frameworkId} has no published version ${input.baseVersion}.`, 'baseVersion');
    base = found;
  }
  const amended = applyAmendment(base, input.amendment);

  const before = new Map<string, UnitScore[]>();
  const after = new Map<string, UnitScore[]>();
  const push = (map: Map<string, UnitScore[]>, key: string, unit: UnitScore) => map.set(key, [...(map.get(key) ?? []), unit]);
  const affected = await recalculationRuns.rankedAssessments(readModel, input.periodId);
  for (const row of affected) {
    const { state } = await executor.load<AssessmentState, AssessmentEvent>(row.streamName, initialAssessmentState, evolveAssessment);
    if (state.status === 'not_started') continue;
    const answers = effectiveAnswers(state);
    for (const part of scoreAssessment(input.baseVersion === undefined ? definitionAt(state.framework.version) : base, state.tier, answers)) {
      push(before, `${state.tier}\n${part.partCode}`, { unitCode: state.unitCode, unitName: state.unitCode, score: part.score, level: part.level });
    }
    for (const part of scoreAssessment(amended, state.tier, answers)) {
      push(after, `${state.tier}\n${part.partCode}`, { unitCode: state.unitCode, unitName: state.unitCode, score: part.score, level: part.level });
    }
  }

  const changes: Omit<WhatIfChange, 'unitName'>[] = [];
  const rankings: WhatIfResult['rankings'][number][] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [tier = '', partCode = ''] = key.split('\n');
    const rankedBefore = rankUnits({ tier, partCode, units: before.get(key) ?? [], previousScores: new Map(), rounding: amended.rounding });
    const rankedAfter = rankUnits({ tier, partCode, units: after.get(key) ?? [], previousScores: new Map(), rounding: amended.rounding });
    rankings.push({ tier, partCode, before: rankedBefore.counts, after: rankedAfter.counts });
    const was = standings(rankedBefore);
    for (const [unitCode, now] of standings(rankedAfter)) {
      const then = was.get(unitCode);
      if (!then) continue;
      const levelChanged = then.level !== now.level;
      const rankChanged = then.rank !== now.rank;
      if (levelChanged || rankChanged) changes.push({ tier, partCode, unitCode, before: then, after: now, levelChanged, rankChanged });
    }
  }
  const names = await unitNamesByCode(readModel, READ_MODEL_SCHEMA, changes.map((change) => change.unitCode));
  return {
    frameworkId: input.frameworkId,
    periodId: input.periodId,
    fromVersion: input.baseVersion ?? period.framework.version,
    toVersion: amended.version,
    assessments: affected.length,
    changes: changes.map((change) => ({ ...change, unitName: names.get(change.unitCode) ?? null })),
    rankings,
  };
}

function standings(ranking: Ranking): Map<string, UnitStanding> {
  const entries: [string, UnitStanding][] = [
    ...ranking.ranked.map((u): [string, UnitStanding] => [u.unitCode, { score: u.score, level: u.level, rank: u.rank }]),
    ...ranking.unranked.map((u): [string, UnitStanding] => [u.unitCode, { score: u.score, level: null, rank: null }]),
  ];
  return new Map(entries);
}
