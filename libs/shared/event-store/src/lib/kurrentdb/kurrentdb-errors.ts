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

/*
 * Statuses of BatchAppend (the append path of a client without credentials) that client 1.3.1
 * does not unpack and raises as UnknownError("Could not recognize <status message>"): the server
 * refusing one oversized event, and a node not ready or too busy to take the write.
 */
const unrecognisedEventTooLarge = /Could not recognize MaximumAppendEventSizeExceeded/;
const unrecognisedUnavailable = /Could not recognize (Server Is Not Ready|Server Is Busy|No leader info available)/;

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
    case ErrorType.UNKNOWN: {
      const message = (error as Error).message;
      if (unrecognisedEventTooLarge.test(message)) return new EventTooLargeError(streamName ?? '(unknown)', 'an event is larger than the server accepts');
      if (unrecognisedUnavailable.test(message)) return new EventStoreUnavailableError(operation, error);
      return error;
    }
    case undefined:
      return error;
    default:
      return transientTypes.has(type) ? new EventStoreUnavailableError(operation, error) : error;
  }
}
