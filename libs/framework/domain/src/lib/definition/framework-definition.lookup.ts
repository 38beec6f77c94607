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
// A definition is immutable data, so its criteria are listed and indexed once per definition
// object: scoring looks criteria up for every answer of every assessment it scores.
interface CriteriaIndex {
  readonly list: readonly CriterionLocation[];
  readonly byCode: ReadonlyMap<string, CriterionLocation>;
  readonly codes: ReadonlySet<string>;
}

const criteriaOf = new WeakMap<FrameworkDefinition, CriteriaIndex>();

function indexedCriteria(framework: FrameworkDefinition): CriteriaIndex {
  let indexed = criteriaOf.get(framework);
  if (!indexed) {
    const list = framework.tiers.flatMap((tier) =>
      tier.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria.map((criterion) => ({ tier, part, group, criterion })))),
    );
    const byCode = new Map<string, CriterionLocation>();
    // The first location wins, as a linear search would find it.
    for (const location of list) if (!byCode.has(location.criterion.code)) byCode.set(location.criterion.code, location);
    indexed = { list, byCode, codes: new Set(byCode.keys()) };
    criteriaOf.set(framework, indexed);
  }
  return indexed;
}

export function listCriteria(framework: FrameworkDefinition): readonly CriterionLocation[] {
  return indexedCriteria(framework).list;
}

/** Every criterion code of the definition, for membership tests. */
export function criterionCodes(framework: FrameworkDefinition): ReadonlySet<string> {
  return indexedCriteria(framework).codes;
}

export function findCriterion(framework: FrameworkDefinition, code: string): CriterionLocation | undefined {
  return indexedCriteria(framework).byCode.get(code);
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
