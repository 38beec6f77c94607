import type {
  CriterionDefinition,
  FrameworkDefinition,
  GroupDefinition,
  PartDefinition,
  TierDefinition,
} from '../framework-definition';
import { roundScore } from '../scoring/rounding';

/** Sums of maxima are compared at this precision, so 0.1 + 0.2 equals 0.3. */
const SUM_PRECISION = { decimals: 6, mode: 'half_up' } as const;

/** Where a criterion sits in its framework. */
export interface CriterionLocation {
  readonly tier: TierDefinition;
  readonly part: PartDefinition;
  readonly group: GroupDefinition;
  readonly criterion: CriterionDefinition;
}

export function findTier(framework: FrameworkDefinition, tier: string): TierDefinition | undefined {
  return framework.tiers.find((t) => t.tier === tier);
}

export function findPart(framework: FrameworkDefinition, tier: string, partCode: string): PartDefinition | undefined {
  return findTier(framework, tier)?.parts.find((p) => p.code === partCode);
}

/** Every criterion with its tier, part and group, in file order. */
export function listCriteria(framework: FrameworkDefinition): readonly CriterionLocation[] {
  return framework.tiers.flatMap((tier) =>
    tier.parts.flatMap((part) =>
      part.groups.flatMap((group) => group.criteria.map((criterion) => ({ tier, part, group, criterion }))),
    ),
  );
}

export function findCriterion(framework: FrameworkDefinition, code: string): CriterionLocation | undefined {
  return listCriteria(framework).find((location) => location.criterion.code === code);
}

/** A group's maximum: the sum of its criteria's maxima. */
export function groupMaxPoints(group: GroupDefinition): number {
  return sumOfMaxima(group.criteria);
}

export function sumOfMaxima(criteria: readonly CriterionDefinition[]): number {
  return roundScore(
    criteria.reduce((sum, criterion) => sum + criterion.maxPoints, 0),
    SUM_PRECISION,
  );
}
