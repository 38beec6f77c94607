import { DomainError } from '@tieuchi/shared/kernel';

/** One problem found in a definition, located by a dotted path such as `tiers[0].parts[1].maxPoints`. */
export interface DefinitionIssue {
  readonly field: string;
  readonly message: string;
}

/** Stable codes: clients switch on them, so they are never renamed. */
export const FrameworkDefinitionErrorCode = {
  /** The text is not YAML (or JSON) at all. */
  malformed: 'FRAMEWORK.MALFORMED_DEFINITION',
  /** Parsed, but breaks the schema or a semantic rule; `field` names the first bad field. */
  invalid: 'FRAMEWORK.INVALID_DEFINITION',
} as const;

export function invalidDefinition(issues: readonly DefinitionIssue[], source?: string): DomainError {
  const [first] = issues;
  const where = source ? ` in ${source}` : '';
  const summary = first ? `${first.field || '(root)'}: ${first.message}` : 'invalid';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new DomainError(
    FrameworkDefinitionErrorCode.invalid,
    'validation',
    `Invalid framework definition${where}: ${summary}${more}`,
    first?.field,
    { issues, ...(source ? { source } : {}) },
  );
}
