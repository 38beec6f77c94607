import type { Principal } from '@tieuchi/shared/auth';

/**
 * What a command handler needs to know about the request that issued it: who, under which
 * correlation id, when, and with which client-supplied preconditions.
 */
export interface RequestContext {
  /** The principal's id; `system:<process>` for jobs. */
  readonly actor: string;
  /**
   * The actor with every grant it holds (`authorityOf` in @tieuchi/shared/auth), when it came with
   * a token: a keyed retry finds the first attempt's events only under the same authority.
   */
  readonly authority?: string;
  /**
   * The verified caller of an HTTP request: handlers judge its jurisdiction (the province its
   * staff roles reach) before anything is decided or replayed. Absent for jobs and seeds.
   */
  readonly principal?: Principal;
  readonly correlationId: string;
  /** The Idempotency-Key of the request, when the client sent one. */
  readonly idempotencyKey?: string;
  /** The stream version named by If-Match, when the client sent one. */
  readonly ifMatch?: number;
}
