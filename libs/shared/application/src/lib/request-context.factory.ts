import { authorityOf, principalOf } from '@tieuchi/shared/auth';
import { correlationIdOf } from '@tieuchi/shared/http';
import type { Request } from 'express';
import type { RequestContext } from './request-context';
import { parseIfMatch } from './stream-versions';

/** The authenticated caller's id as the auth guard left it on the request, or `anonymous`. */
export function actorOf(request: Request): string {
  return principalOf(request)?.id ?? 'anonymous';
}

/** The caller's id and grants (authorityOf), or `anonymous`: what remembered answers are keyed by. */
export function authorityOfRequest(request: Request): string {
  const principal = principalOf(request);
  return principal ? authorityOf(principal) : 'anonymous';
}

/** Builds the command context from the HTTP request: actor, correlation id, preconditions. */
export function requestContextOf(request: Request): RequestContext {
  const idempotencyKey = request.header('idempotency-key');
  const ifMatch = parseIfMatch(request.header('if-match'));
  const principal = principalOf(request);
  return {
    actor: actorOf(request),
    ...(principal ? { authority: authorityOfRequest(request), principal } : {}),
    correlationId: correlationIdOf(request),
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(ifMatch !== undefined ? { ifMatch } : {}),
  };
}
