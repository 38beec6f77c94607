import { DomainError } from '@tieuchi/shared/kernel';
import type { ExpectedVersion } from './event-store.port';

/** The stream's version when an append was refused: a number, or `no_stream` when it has no events. */
export type ActualVersion = number | 'no_stream';

/** The stream was not at the version the caller expected: reload, decide again, retry (HTTP 409). */
export class ConcurrencyError extends DomainError {
  static readonly code = 'EVENT_STORE.CONCURRENCY';

  constructor(
    readonly streamName: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: ActualVersion,
  ) {
    super(
      ConcurrencyError.code,
      'conflict',
      `Stream "${streamName}" was expected at version ${String(expectedVersion)} but is at ${String(actualVersion)}`,
      undefined,
      { streamName, expectedVersion, actualVersion },
    );
    this.name = 'ConcurrencyError';
  }
}

export function isConcurrencyError(error: unknown): error is ConcurrencyError {
  return error instanceof ConcurrencyError;
}

/**
 * Some of the event ids of an append are already stored and some are not, or they are stored in
 * another stream: this is not a retry of an earlier append, so nothing is written.
 */
export class IdempotencyConflictError extends DomainError {
  static readonly code = 'EVENT_STORE.IDEMPOTENCY_CONFLICT';

  constructor(
    readonly streamName: string,
    readonly storedEventIds: readonly string[],
    reason: string,
  ) {
    super(IdempotencyConflictError.code, 'conflict', `Append to "${streamName}" reuses event ids: ${reason}`, undefined, {
      streamName,
      storedEventIds,
    });
    this.name = 'IdempotencyConflictError';
  }
}

/** An event to append is malformed (no uuid id, type not PascalCase, duplicate ids, ...). */
export class InvalidEventError extends DomainError {
  static readonly code = 'EVENT_STORE.INVALID_EVENT';

  constructor(message: string, field?: string) {
    super(InvalidEventError.code, 'validation', message, field);
    this.name = 'InvalidEventError';
  }
}

/** A checkpoint string that this store did not issue. */
export class InvalidCheckpointError extends DomainError {
  static readonly code = 'EVENT_STORE.INVALID_CHECKPOINT';

  constructor(readonly checkpoint: string) {
    super(InvalidCheckpointError.code, 'validation', `Not a checkpoint of this event store: "${checkpoint}"`, 'checkpoint');
    this.name = 'InvalidCheckpointError';
  }
}

/** `waitFor` gave up before the reader reached the checkpoint. */
export class WaitTimeoutError extends DomainError {
  static readonly code = 'EVENT_STORE.WAIT_TIMEOUT';

  constructor(
    readonly checkpoint: string,
    readonly timeoutMs: number,
  ) {
    super(WaitTimeoutError.code, 'internal', `Did not reach checkpoint ${checkpoint} within ${timeoutMs} ms`);
    this.name = 'WaitTimeoutError';
  }
}

/** A reader stopped (stop() or a failure) before reaching the checkpoint someone waited for. */
export class ReaderStoppedError extends DomainError {
  static readonly code = 'EVENT_STORE.READER_STOPPED';

  constructor(
    readonly checkpoint: string,
    readonly failure?: unknown,
  ) {
    super(ReaderStoppedError.code, 'internal', `Stopped before reaching checkpoint ${checkpoint}`);
    this.name = 'ReaderStoppedError';
  }
}

/** A reader lost the exclusive lock of its processor (its connection dropped): it stops writing. */
export class LockLostError extends DomainError {
  static readonly code = 'EVENT_STORE.LOCK_LOST';

  constructor(readonly readerId: string) {
    super(LockLostError.code, 'internal', `Lost the exclusive lock of "${readerId}"`);
    this.name = 'LockLostError';
  }
}

/** The store could not be reached or did not answer in time (no leader, restart, timeout): retry later (HTTP 503). */
export class EventStoreUnavailableError extends DomainError {
  static readonly code = 'EVENT_STORE.UNAVAILABLE';

  constructor(
    readonly operation: string,
    readonly failure?: unknown,
  ) {
    super(EventStoreUnavailableError.code, 'unavailable', `The event store did not complete ${operation}; try again shortly`);
    this.name = 'EventStoreUnavailableError';
  }
}

/** The stream was deleted for good (a KurrentDB tombstone): it can be neither read nor written (HTTP 410). */
export class StreamDeletedError extends DomainError {
  static readonly code = 'EVENT_STORE.STREAM_DELETED';

  constructor(readonly streamName: string) {
    super(StreamDeletedError.code, 'gone', `Stream "${streamName}" has been deleted`, undefined, { streamName });
    this.name = 'StreamDeletedError';
  }
}

/** An append larger than the store accepts (an event or the whole write): nothing was written (HTTP 413). */
export class EventTooLargeError extends DomainError {
  static readonly code = 'EVENT_STORE.TOO_LARGE';

  constructor(
    readonly streamName: string,
    reason: string,
  ) {
    super(EventTooLargeError.code, 'too_large', `Append to "${streamName}" is too large: ${reason}`, undefined, { streamName });
    this.name = 'EventTooLargeError';
  }
}

/** The store refused the adapter's own credentials: a deployment fault, not the caller's (HTTP 500). */
export class EventStoreAccessDeniedError extends DomainError {
  static readonly code = 'EVENT_STORE.ACCESS_DENIED';

  constructor(readonly operation: string) {
    super(EventStoreAccessDeniedError.code, 'internal', `The event store denied ${operation} to this service's credentials`);
    this.name = 'EventStoreAccessDeniedError';
  }
}

/** A live subscription lost its feed and could not resume within its attempts. */
export class SubscriptionDroppedError extends DomainError {
  static readonly code = 'EVENT_STORE.SUBSCRIPTION_DROPPED';

  constructor(
    readonly processorId: string,
    readonly attempts: number,
    readonly failure?: unknown,
  ) {
    super(SubscriptionDroppedError.code, 'internal', `Subscription "${processorId}" dropped and did not resume after ${attempts} attempts`);
    this.name = 'SubscriptionDroppedError';
  }
}
