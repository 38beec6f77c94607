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
    } else if (isClientError(error)) {
      // e.g. a body whose Content-Encoding (gzip, br) does not match its bytes, or a wrong Content-Length.
      next(new DomainError('REQUEST.UNREADABLE_BODY', 'validation', 'The request body could not be read as its headers describe it.', 'body'));
    } else {
      next(error);
    }
  };
  return [json({ limit, strict: true }), translate];
}

/** body-parser's own refusals carry a 4xx status; the filter would otherwise see an unknown error (500). */
function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
