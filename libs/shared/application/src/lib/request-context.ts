/**
 * What a command handler needs to know about the request that issued it: who, under which
 * correlation id, when, and with which client-supplied preconditions.
 */
export interface RequestContext {
  /** The principal's id; `system:<process>` for jobs. */
  readonly actor: string;
  readonly correlationId: string;
  /** The Idempotency-Key of the request, when the client sent one. */
  readonly idempotencyKey?: string;
  /** The stream version named by If-Match, when the client sent one. */
  readonly ifMatch?: number;
}
