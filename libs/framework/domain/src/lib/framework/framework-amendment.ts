import { assertNever, isDomainError } from '@tieuchi/shared/kernel';
import type {
  CriterionDefinition,
  FrameworkDefinition,
  LevelBand,
  PartDefinition,
  RoundingRule,
  ScoringRule,
} from '../framework-definition';
import { FrameworkDefinitionErrorCode } from '../definition/framework-definition.errors';
import { validateFrameworkDefinition } from '../definition/framework-definition.validator';
import { FrameworkErrorCode, frameworkError } from './framework.errors';

/**
 * One change of an amendment. Changes apply in order and the result must be a valid definition,
 * so a change that breaks an invariant travels with its counterpart: lowering a criterion's
 * maximum of a `sum` part comes with raising another's, or with `part_maximum_changed`.
 */
export type AmendmentChange =
  | { readonly kind: 'levels_changed'; readonly tier: string; readonly partCode: string; readonly levels: readonly LevelBand[] }
  | { readonly kind: 'part_maximum_changed'; readonly tier: string; readonly partCode: string; readonly maxPoints: number }
  | {
      readonly kind: 'criterion_maximum_changed';
      readonly criterionCode: string;
      readonly maxPoints: number;
      /** A new rule where the old one no longer fits, e.g. a banded table's points. */
      readonly rule?: ScoringRule;
    }
  /** Not applicable for every unit from this version on: excluded from every score. */
  | { readonly kind: 'criterion_excluded'; readonly criterionCode: string }
  /** Whether a unit may itself declare the criterion not applicable. */
  | { readonly kind: 'criterion_applicability_changed'; readonly criterionCode: string; readonly mayBeNotApplicable: boolean }
  | { readonly kind: 'criterion_removed'; readonly criterionCode: string }
  | { readonly kind: 'rounding_changed'; readonly rounding: RoundingRule };

export interface FrameworkAmendment {
  /** Why the framework changes, in words a reader of the audit trail understands. */
  readonly cause: string;
  /** The decision that orders it, e.g. "12/QĐ-BTTTT 05/03/2019". */
  readonly decisionReference: string;
  readonly changes: readonly AmendmentChange[];
}

/**
 * The next version of a definition: pure, so recalculation computes exactly what the decider
 * recorded. Refuses amendments without cause, decision or changes, changes that name unknown
 * criteria or parts, and results that are not a valid definition.
 */
export function applyAmendment(definition: FrameworkDefinition, amendment: FrameworkAmendment): FrameworkDefinition {
  if (amendment.cause.trim() === '') {
    throw frameworkError(FrameworkErrorCode.causeRequired, 'validation', 'An amendment needs a cause', 'cause');
  }
  if (amendment.decisionReference.trim() === '') {
    throw frameworkError(FrameworkErrorCode.decisionReferenceRequired, 'validation', 'An amendment needs a decision reference', 'decisionReference');
  }
  if (amendment.changes.length === 0) {
    throw frameworkError(FrameworkErrorCode.emptyAmendment, 'validation', 'An amendment needs at least one change', 'changes');
  }
  const amended = amendment.changes.reduce(
    (current, change, index) => applyChange(current, change, `changes[${index}]`),
    { ...definition, version: definition.version + 1 },
  );
  try {
    return validateFrameworkDefinition(amended);
  } catch (error) {
    if (isDomainError(error) && error.code === FrameworkDefinitionErrorCode.invalid) {
      throw frameworkError(
        FrameworkErrorCode.invalidAmendment,
        'validation',
        `The amendment leaves an invalid framework: ${error.message}`,
        error.field,
        error.details,
      );
    }
    throw error;
  }
}

function applyChange(definition: FrameworkDefinition, change: AmendmentChange, field: string): FrameworkDefinition {
  switch (change.kind) {
    case 'levels_changed':
      return updatePart(definition, change.tier, change.partCode, field, (part) => ({ ...part, levels: change.levels }));
    case 'part_maximum_changed':
      return updatePart(definition, change.tier, change.partCode, field, (part) => ({ ...part, maxPoints: change.maxPoints }));
    case 'criterion_maximum_changed':
      return updateCriterion(definition, change.criterionCode, field, (criterion) => ({
        ...criterion,
        maxPoints: change.maxPoints,
        rule: change.rule ?? criterion.rule,
      }));
    case 'criterion_excluded':
      return updateCriterion(definition, change.criterionCode, field, (criterion) => ({ ...criterion, excluded: true }));
    case 'criterion_applicability_changed':
      return updateCriterion(definition, change.criterionCode, field, (criterion) => ({
        ...criterion,
        mayBeNotApplicable: change.mayBeNotApplicable,
      }));
    case 'criterion_removed':
      return updateCriterion(definition, change.criterionCode, field, () => undefined);
    case 'rounding_changed': {
      // A change that names no stage keeps the framework's: changing the decimals moves nothing else.
      const stage = change.rounding.stage ?? definition.rounding.stage;
      return { ...definition, rounding: { decimals: change.rounding.decimals, mode: change.rounding.mode, ...(stage ? { stage } : {}) } };
    }
    default:
      return assertNever(change, 'amendment change');
  }
}

function updatePart(
  definition: FrameworkDefinition,
  tier: string,
  partCode: string,
  field: string,
  update: (part: PartDefinition) => PartDefinition,
): FrameworkDefinition {
  let found = false;
  const tiers = definition.tiers.map((t) =>
    t.tier !== tier
      ? t
      : {
          ...t,
          parts: t.parts.map((part) => {
            if (part.code !== partCode) return part;
            found = true;
            return update(part);
          }),
        },
  );
  if (!found) {
    throw frameworkError(FrameworkErrorCode.unknownPart, 'validation', `Framework ${definition.id} has no part ${tier}/${partCode}`, `${field}.partCode`, {
      tier,
      partCode,
    });
  }
  return { ...definition, tiers };
}

/** Replaces a criterion with `update`'s result, or removes it when that is undefined. */
function updateCriterion(
  definition: FrameworkDefinition,
  code: string,
  field: string,
  update: (criterion: CriterionDefinition) => CriterionDefinition | undefined,
): FrameworkDefinition {
  let found = false;
  const tiers = definition.tiers.map((tier) => ({
    ...tier,
    parts: tier.parts.map((part) => ({
      ...part,
      groups: part.groups.map((group) => ({
        ...group,
        criteria: group.criteria.flatMap((criterion) => {
          if (criterion.code !== code) return [criterion];
          found = true;
          const updated = update(criterion);
          return updated ? [updated] : [];
        }),
      })),
    })),
  }));
  if (!found) {
    throw frameworkError(FrameworkErrorCode.unknownCriterion, 'validation', `Framework ${definition.id} has no criterion ${code}`, `${field}.criterionCode`, {
      criterionCode: code,
    });
  }
  return { ...definition, tiers };
}
