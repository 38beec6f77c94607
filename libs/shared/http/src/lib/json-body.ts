import { json } from 'body-parser';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError } from '@tieuchi/shared/kernel';

/**
 * How deeply objects and arrays may nest in a JSON body. The deepest body the API takes, a
 * framework definition, nests 13 levels; validation (class-transformer, class-validator) recurses
 * once per level, so a body thousands of levels deep would overflow its stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Our own JSON body parsing (the app is created with `bodyParser: false`), so that a malformed,
 * oversized or too deeply nested body becomes a coded DomainError that the problem+json filter
 * answers like any other.
 */
export function jsonBody(limit: string): [RequestHandler, ErrorRequestHandler, RequestHandler] {
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
  // V8's JSON.parse does not recurse, so the parsed body is measured before anything else walks it.
  const boundDepth: RequestHandler = (req, _res, next) => {
    const body: unknown = req.body;
    if (body !== null && typeof body === 'object' && nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      next(new DomainError('REQUEST.BODY_TOO_DEEP', 'validation', `Objects and arrays in the request body may nest at most ${MAX_JSON_DEPTH} levels deep.`, 'body'));
    } else {
      next();
    }
  };
  return [json({ limit, strict: true }), translate, boundDepth];
}

/** Whether objects and arrays nest more than `max` levels (the value itself being level 1), without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** body-parser's own refusals carry a 4xx status; the filter would otherwise see an unknown error (500). */
function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
