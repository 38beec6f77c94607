import {
  groupMaxPoints,
  roundScore,
  scoreCriterion,
  type CriterionAnswer,
  type CriterionDefinition,
  type GroupDefinition,
  type PartDefinition,
  type RoundingRule,
} from '@tieuchi/framework/domain';

/**
 * Manual points are written with 2 decimals on the paper form. Only a total the record prints
 * with a third decimal (Cư Jút 2018: 37.865) gets one, on a single manual criterion.
 */
const FORM_DECIMALS = 2;

interface Option {
  readonly answer: CriterionAnswer;
  /** Points in units of the rounding rule's last decimal, so that sums are exact integers. */
  readonly units: number;
}

/**
 * A part total spread over the groups in proportion to their maxima (2 decimals, the last group
 * taking what is left), so that no group looks implausibly weak or strong and, in district
 * readiness, every group meets the per-group minimum whenever the total reaches a level.
 */
export function splitAcrossGroups(part: PartDefinition, total: number, rounding: RoundingRule): ReadonlyMap<string, number> {
  if (total < 0 || total > part.maxPoints) throw new Error(`part ${part.code}: ${total} is not between 0 and ${part.maxPoints}`);
  const maxima = part.groups.map((group) => groupMaxPoints(group));
  const shares = maxima.map((max) => roundScore((total * max) / part.maxPoints, { decimals: FORM_DECIMALS, mode: 'half_up' }));
  const lastIndex = shares.length - 1;
  shares[lastIndex] = roundScore(total - shares.slice(0, lastIndex).reduce((sum, share) => sum + share, 0), rounding);
  // Rounding the others up can push the last group a hair over its maximum: hand the excess back.
  for (let index = 0; index < lastIndex; index++) {
    const excess = roundScore((shares[lastIndex] ?? 0) - (maxima[lastIndex] ?? 0), rounding);
    if (excess <= 0) break;
    const moved = Math.min(excess, roundScore((maxima[index] ?? 0) - (shares[index] ?? 0), rounding));
    shares[index] = roundScore((shares[index] ?? 0) + moved, rounding);
    shares[lastIndex] = roundScore((shares[lastIndex] ?? 0) - moved, rounding);
  }
  return new Map(part.groups.map((group, index) => [group.code, shares[index] ?? 0]));
}

/**
 * Answers to every criterion of a `sum` part whose points, each rounded by the framework's rule,
 * add up to each group's target exactly. Yes/no and banded criteria are chosen so that the
 * ratio and manual ones fill about as much of their maxima as the group does overall; ratios are
 * whole percentages; manual criteria take the rest. Throws when a target cannot be reached.
 */
export function answersForGroupTargets(
  part: PartDefinition,
  groupTargets: ReadonlyMap<string, number>,
  rounding: RoundingRule,
): Map<string, CriterionAnswer> {
  if (part.aggregation !== 'sum') throw new Error(`part ${part.code}: only sum parts can be allocated`);
  const unknown = [...groupTargets.keys()].filter((code) => !part.groups.some((group) => group.code === code));
  if (unknown.length > 0) throw new Error(`part ${part.code} has no group ${unknown.join(', ')}`);
  const answers = new Map<string, CriterionAnswer>();
  for (const group of part.groups) {
    const target = groupTargets.get(group.code);
    if (target === undefined) throw new Error(`part ${part.code}: no target for group ${group.code}`);
    allocateGroup(group, target, rounding).forEach((answer, code) => answers.set(code, answer));
  }
  return answers;
}

function allocateGroup(group: GroupDefinition, target: number, rounding: RoundingRule): Map<string, CriterionAnswer> {
  const scale = 10 ** rounding.decimals;
  const toUnits = (points: number) => Math.round(points * scale);
  const pointsOf = (criterion: CriterionDefinition, answer: CriterionAnswer) => toUnits(scoreCriterion(criterion, answer, rounding) ?? 0);
  const targetUnits = toUnits(target);
  const maxUnits = toUnits(groupMaxPoints(group));
  if (roundScore(target, rounding) !== target || targetUnits < 0 || targetUnits > maxUnits) {
    throw new Error(`group ${group.code}: target ${target} is not a score between 0 and ${groupMaxPoints(group)}`);
  }
  const fill = maxUnits === 0 ? 0 : targetUnits / maxUnits;
  const discrete = group.criteria.filter((c) => c.rule.kind === 'yes_no' || c.rule.kind === 'banded');
  const ratios = group.criteria.filter((c) => c.rule.kind === 'ratio');
  const manuals = group.criteria.filter((c) => c.rule.kind === 'manual');
  const continuousUnits = [...ratios, ...manuals].reduce((sum, c) => sum + toUnits(c.maxPoints), 0);

  const optionsOf = (criterion: CriterionDefinition): readonly Option[] => {
    const rule = criterion.rule;
    const answers: CriterionAnswer[] =
      rule.kind === 'banded'
        ? rule.bands.map((band) => ({ kind: 'value', value: band.from }))
        : [
            { kind: 'value', value: false },
            { kind: 'value', value: true },
          ];
    return answers.map((answer) => ({ answer, units: pointsOf(criterion, answer) }));
  };
  const combinations = discrete.reduce<readonly (readonly Option[])[]>(
    (partial, criterion) => partial.flatMap((chosen) => optionsOf(criterion).map((option) => [...chosen, option])),
    [[]],
  );
  let best: { readonly chosen: readonly Option[]; readonly distance: number } | undefined;
  for (const chosen of combinations) {
    const rest = targetUnits - chosen.reduce((sum, option) => sum + option.units, 0);
    if (rest < 0 || rest > continuousUnits) continue;
    const distance = continuousUnits === 0 ? 0 : Math.abs(rest / continuousUnits - fill);
    if (!best || distance < best.distance) best = { chosen, distance };
  }
  if (!best) throw new Error(`group ${group.code}: no choice of yes/no and banded answers leaves ${target} reachable`);

  const answers = new Map<string, CriterionAnswer>();
  discrete.forEach((criterion, index) => {
    const option = best.chosen[index];
    if (option) answers.set(criterion.code, option.answer);
  });
  const rest = targetUnits - best.chosen.reduce((sum, option) => sum + option.units, 0);
  const continuousFill = continuousUnits === 0 ? 0 : rest / continuousUnits;
  const manualUnits = manuals.reduce((sum, c) => sum + toUnits(c.maxPoints), 0);

  // Whole percentages, rounded down first; up if the manual criteria could not hold the rest.
  let manualRest = Number.NaN;
  for (const round of [Math.floor, Math.ceil]) {
    const ratioAnswers = ratios.map((criterion) => {
      const ratioTarget = criterion.rule.kind === 'ratio' ? criterion.rule.target : 100;
      const percent = Math.min(100, Math.max(0, round(continuousFill * 100)));
      const answer: CriterionAnswer = { kind: 'value', value: roundScore((percent * ratioTarget) / 100, { decimals: 6, mode: 'half_up' }) };
      return { criterion, answer };
    });
    const left = rest - ratioAnswers.reduce((sum, { criterion, answer }) => sum + pointsOf(criterion, answer), 0);
    if (left >= 0 && left <= manualUnits) {
      ratioAnswers.forEach(({ criterion, answer }) => answers.set(criterion.code, answer));
      manualRest = left;
      break;
    }
  }
  if (Number.isNaN(manualRest)) throw new Error(`group ${group.code}: ratio criteria cannot leave a reachable rest for ${target}`);

  const step = 10 ** Math.max(0, rounding.decimals - FORM_DECIMALS);
  const manualPoints = manuals.map((criterion) => {
    const proportional = manualUnits === 0 ? 0 : (manualRest * toUnits(criterion.maxPoints)) / manualUnits;
    return Math.min(toUnits(criterion.maxPoints), Math.floor(proportional / step) * step);
  });
  let left = manualRest - manualPoints.reduce((sum, points) => sum + points, 0);
  // The last manual criterion takes what is left first, so that a third decimal lands on one criterion only.
  for (let index = manuals.length - 1; index >= 0 && left > 0; index--) {
    const criterion = manuals[index];
    const current = manualPoints[index];
    if (!criterion || current === undefined) continue;
    const added = Math.min(toUnits(criterion.maxPoints) - current, left);
    manualPoints[index] = current + added;
    left -= added;
  }
  if (left !== 0) throw new Error(`group ${group.code}: manual criteria cannot hold ${target}`);
  manuals.forEach((criterion, index) => {
    answers.set(criterion.code, { kind: 'value', value: roundScore((manualPoints[index] ?? 0) / scale, rounding) });
  });

  const total = group.criteria.reduce((sum, criterion) => {
    const answer = answers.get(criterion.code);
    if (!answer) throw new Error(`group ${group.code}: criterion ${criterion.code} left unanswered`);
    return sum + pointsOf(criterion, answer);
  }, 0);
  if (total !== targetUnits) throw new Error(`group ${group.code}: answers add up to ${total / scale}, not ${target}`);
  return answers;
}
