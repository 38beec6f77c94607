import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '@tieuchi/shared/kernel';
import type { FieldProblem } from './problem-details';
import { findUnsafeText, unsafeTextError } from './request-text';

/**
 * Also refuses, once for every route, text PostgreSQL cannot store (a NUL or a lone surrogate)
 * in the body, the query and the path, before any handler sees it. The body it sees is whatever
 * the route's body parser produced: JSON, or the text fields of a multipart form.
 */
export class RequestValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const field = findUnsafeText(value, metadata.data ?? '');
      if (field !== null) throw unsafeTextError(field);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Request bodies: unknown fields are refused (not silently dropped), types are converted only as
 * declared, and the error names every offending field by its dotted path.
 */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalidRequest(flattenValidationErrors(errors)),
  });
}

export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function invalidRequest(problems: readonly FieldProblem[]): DomainError {
  const first = problems[0];
  const message = first ? `${first.field}: ${first.messages.join('; ')}` : 'The request is invalid.';
  return new DomainError('REQUEST.INVALID', 'validation', message, first?.field, { errors: problems });
}
