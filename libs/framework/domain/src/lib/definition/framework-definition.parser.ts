import { DomainError } from '@tieuchi/shared/kernel';
import { parseDocument } from 'yaml';
import type { FrameworkDefinition } from '../framework-definition';
import { FrameworkDefinitionErrorCode } from './framework-definition.errors';
import { validateFrameworkDefinition } from './framework-definition.validator';

/**
 * Parses a framework file's text (YAML, so JSON too) and validates it. Pure: no file access, so
 * the same function serves files, uploads and tests. `source` only labels error messages.
 */
export function parseFrameworkDefinition(text: string, source?: string): FrameworkDefinition {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const [error] = document.errors;
  if (error) {
    const position = error.linePos?.[0];
    throw new DomainError(
      FrameworkDefinitionErrorCode.malformed,
      'validation',
      `Framework definition${source ? ` ${source}` : ''} is not valid YAML: ${error.message}`,
      undefined,
      { ...(position ? { line: position.line, column: position.col } : {}), ...(source ? { source } : {}) },
    );
  }
  return validateFrameworkDefinition(document.toJS(), source);
}
