import { ErrorType } from '@kurrent/kurrentdb-client';
import { isDomainError } from '@tieuchi/shared/kernel';
import {
  EventStoreAccessDeniedError,
  EventStoreUnavailableError,
  EventTooLargeError,
  StreamDeletedError,
} from '../event-store.errors';
import { isWrongExpectedVersionError, toKurrentDbConcurrencyError } from './kurrentdb-stream-state';

/** The client's error kind, read from `type` so a second copy of the client in node_modules still matches. */
export function kurrentDbErrorType(error: unknown): ErrorType | undefined {
  if (!(error instanceof Error)) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' && (Object.values(ErrorType) as string[]).includes(type) ? (type as ErrorType) : undefined;
}

const transientTypes: ReadonlySet<ErrorType> = new Set([
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.UNAVAILABLE,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);

/** Errors after which the same request may succeed: the server was away, changing leader, or slow. */
export function isTransientKurrentDbError(error: unknown): boolean {
  const type = kurrentDbErrorType(error);
  return type !== undefined && transientTypes.has(type);
}

/**
 * Turns a client error into the port's typed error so that callers (and the HTTP layer) never see
 * a raw gRPC failure: conflict 409, deleted stream 410, too large 413, unreachable 503, our own
 * credentials refused 500 with a stable code. Anything else is passed on unchanged.
 */
export function toPortError(error: unknown, operation: string, streamName?: string): unknown {
  if (isDomainError(error)) return error;
  if (isWrongExpectedVersionError(error)) return toKurrentDbConcurrencyError(error, streamName ?? error.streamName);
  const type = kurrentDbErrorType(error);
  switch (type) {
    case ErrorType.STREAM_DELETED:
    case ErrorType.STREAM_TOMBSTONED:
      return new StreamDeletedError(streamName ?? (error as { streamName?: string }).streamName ?? '(unknown)');
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
    case ErrorType.APPEND_RECORD_SIZE_EXCEEDED:
    case ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED:
      return new EventTooLargeError(streamName ?? '(unknown)', (error as Error).message);
    case ErrorType.ACCESS_DENIED:
      return new EventStoreAccessDeniedError(operation);
    case undefined:
      return error;
    default:
      return transientTypes.has(type) ? new EventStoreUnavailableError(operation, error) : error;
  }
}
