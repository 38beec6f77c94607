import { assertNever } from '@tieuchi/shared/kernel';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
// The schema is this library's contract; config/frameworks/*.yaml point editors at it too.
import frameworkSchema from './framework-definition.schema.json';
import type { CriterionDefinition, FrameworkDefinition, PartDefinition } from '../framework-definition';
import { invalidDefinition, type DefinitionIssue } from './framework-definition.errors';
import { sumOfMaxima } from './framework-definition.lookup';

const WEIGHT_TOLERANCE = 1e-9;

/** The JSON Schema of a framework file, for documentation and API descriptions. */
export const frameworkDefinitionSchema: Readonly<Record<string, unknown>> = frameworkSchema;

// Compiled once, on first use: compiling is the slow part of ajv.
let compiled: ReturnType<typeof compileSchema> | undefined;

function compileSchema() {
  const ajv = new Ajv2020({ allErrors: true, discriminator: true, useDefaults: true, strict: true });
  return ajv.compile<FrameworkDefinition>(frameworkSchema);
}

/**
 * Checks a parsed definition against the JSON Schema, fills in the schema's defaults, then applies
 * the rules a schema cannot express. Pure: the input is not modified. Throws
 * `FRAMEWORK.INVALID_DEFINITION` with `field` set to the first bad field's path.
 */
export function validateFrameworkDefinition(data: unknown, source?: string): FrameworkDefinition {
  compiled ??= compileSchema();
  // ajv writes defaults into the object it validates, so it gets a copy. A JSON copy also drops
  // properties set to undefined, which object spreads in TypeScript produce and ajv would refuse.
  const candidate: unknown = data === undefined ? undefined : JSON.parse(JSON.stringify(data));
  if (!compiled(candidate)) {
    throw invalidDefinition(schemaIssues(compiled.errors ?? []), source);
  }
  const issues = semanticIssues(candidate);
  if (issues.length > 0) throw invalidDefinition(issues, source);
  return deepFreeze(candidate);
}

/** The semantic rules alone, for callers that already hold a well-shaped definition. */
export function semanticIssues(definition: FrameworkDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const seenCriteria = new Map<string, string>();
  const seenTiers = new Set<string>();

  definition.tiers.forEach((tier, t) => {
    const tierPath = `tiers[${t}]`;
    if (seenTiers.has(tier.tier)) issues.push({ field: `${tierPath}.tier`, message: `duplicate tier "${tier.tier}"` });
    seenTiers.add(tier.tier);
    const seenParts = new Set<string>();
    tier.parts.forEach((part, p) => {
      const partPath = `${tierPath}.parts[${p}]`;
      if (seenParts.has(part.code)) issues.push({ field: `${partPath}.code`, message: `duplicate part "${part.code}"` });
      seenParts.add(part.code);
      issues.push(...partIssues(part, partPath));
      part.groups.forEach((group, g) => {
        group.criteria.forEach((criterion, c) => {
          const path = `${partPath}.groups[${g}].criteria[${c}]`;
          const earlier = seenCriteria.get(criterion.code);
          if (earlier !== undefined) {
            issues.push({ field: `${path}.code`, message: `duplicate criterion code "${criterion.code}" (first at ${earlier})` });
          } else {
            seenCriteria.set(criterion.code, path);
          }
          issues.push(...criterionIssues(criterion, path));
        });
      });
    });
  });
  return issues;
}

function partIssues(part: PartDefinition, path: string): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const groupCodes = new Set<string>();
  part.groups.forEach((group, g) => {
    if (groupCodes.has(group.code)) issues.push({ field: `${path}.groups[${g}].code`, message: `duplicate group "${group.code}"` });
    groupCodes.add(group.code);
  });

  switch (part.aggregation) {
    case 'sum': {
      const total = sumOfMaxima(part.groups.flatMap((group) => group.criteria));
      if (total !== part.maxPoints) {
        issues.push({ field: `${path}.maxPoints`, message: `criteria maxima add up to ${total}, not the part's ${part.maxPoints}` });
      }
      part.groups.forEach((group, g) => {
        if (group.weight !== undefined) {
          issues.push({ field: `${path}.groups[${g}].weight`, message: 'weights apply only to weighted aggregation' });
        }
      });
      break;
    }
    case 'weighted': {
      part.groups.forEach((group, g) => {
        if (group.weight === undefined) issues.push({ field: `${path}.groups[${g}].weight`, message: 'a weighted part needs a weight on every group' });
      });
      const weights = part.groups.reduce((sum, group) => sum + (group.weight ?? 0), 0);
      if (part.groups.every((group) => group.weight !== undefined) && Math.abs(weights - 1) > WEIGHT_TOLERANCE) {
        issues.push({ field: `${path}.groups`, message: `group weights add up to ${weights}, not 1` });
      }
      break;
    }
    default:
      return assertNever(part.aggregation, 'aggregation');
  }

  const levelCodes = new Set<string>();
  part.levels.forEach((band, b) => {
    const bandPath = `${path}.levels[${b}]`;
    if (levelCodes.has(band.level)) issues.push({ field: `${bandPath}.level`, message: `duplicate level "${band.level}"` });
    levelCodes.add(band.level);
    if (band.minScore > part.maxPoints) {
      issues.push({ field: `${bandPath}.minScore`, message: `${band.minScore} is above the part's maximum ${part.maxPoints}` });
    }
    const higher = part.levels[b - 1];
    if (higher && band.minScore >= higher.minScore) {
      issues.push({
        field: `${bandPath}.minScore`,
        message: `levels go from the highest down: ${band.minScore} must be below ${higher.level}'s ${higher.minScore}`,
      });
    }
    for (const groupCode of Object.keys(band.minGroupShares ?? {})) {
      if (!groupCodes.has(groupCode)) {
        issues.push({ field: `${bandPath}.minGroupShares.${groupCode}`, message: `no group "${groupCode}" in this part` });
      }
    }
  });
  return issues;
}

function criterionIssues(criterion: CriterionDefinition, path: string): DefinitionIssue[] {
  const rule = criterion.rule;
  switch (rule.kind) {
    case 'yes_no':
    case 'manual':
    case 'ratio':
      return [];
    case 'banded': {
      const issues: DefinitionIssue[] = [];
      rule.bands.forEach((band, b) => {
        const bandPath = `${path}.rule.bands[${b}]`;
        const isLast = b === rule.bands.length - 1;
        if (band.to === undefined && !isLast) issues.push({ field: `${bandPath}.to`, message: 'only the last range may be open-ended' });
        if (band.to !== undefined && band.to <= band.from) issues.push({ field: `${bandPath}.to`, message: `range [${band.from}, ${band.to}) is empty` });
        if (band.points > criterion.maxPoints) {
          issues.push({ field: `${bandPath}.points`, message: `${band.points} is above the criterion's maximum ${criterion.maxPoints}` });
        }
        const previous = rule.bands[b - 1];
        if (previous?.to !== undefined && band.from < previous.to) {
          issues.push({ field: `${bandPath}.from`, message: `ranges must ascend without overlap: ${band.from} is below ${previous.to}` });
        }
      });
      return issues;
    }
    default:
      return assertNever(rule, 'scoring rule');
  }
}

function schemaIssues(errors: readonly ErrorObject[]): DefinitionIssue[] {
  const issues = errors.map((error): DefinitionIssue => {
    const base = pointerToPath(error.instancePath);
    const params: Record<string, unknown> = error.params;
    const child = [params['missingProperty'], params['additionalProperty'], params['propertyName']].find(
      (value): value is string => typeof value === 'string',
    );
    const field = child === undefined ? base : joinPath(base, child);
    const message = params['additionalProperty'] !== undefined ? 'unknown property' : (error.message ?? error.keyword);
    return { field, message };
  });
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.field}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `/tiers/0/parts/1/maxPoints` → `tiers[0].parts[1].maxPoints`. */
function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(joinPath, '');
}

function joinPath(path: string, segment: string): string {
  if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
  return path === '' ? segment : `${path}.${segment}`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
