import { json } from 'body-parser';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError } from '@tieuchi/shared/kernel';

/**
 * Our own JSON body parsing (the app is created with `bodyParser: false`), so that a malformed or
 * oversized body becomes a coded DomainError that the problem+json filter answers like any other.
 */
export function jsonBody(limit: string): [RequestHandler, ErrorRequestHandler] {
  const translate: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') {
      next(new DomainError('REQUEST.BODY_TOO_LARGE', 'validation', `The request body is larger than ${limit}.`, 'body'));
    } else if (type === 'entity.parse.failed') {
      next(new DomainError('REQUEST.MALFORMED_BODY', 'validation', 'The request body is not valid JSON.', 'body'));
    } else if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      next(new DomainError('REQUEST.UNSUPPORTED_ENCODING', 'validation', 'The request body must be UTF-8 JSON.', 'body'));
    } else {
      next(error);
    }
  };
  return [json({ limit, strict: true }), translate];
}
