import {
  ANY,
  type AppendStreamState,
  type CurrentStreamState,
  ErrorType,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { DomainError } from '@tieuchi/shared/kernel';
import { ConcurrencyError, InvalidEventError, type ActualVersion } from '../event-store.errors';
import type { ExpectedVersion } from '../event-store.port';

/**
 * The wire protocol's sentinels. The client usually turns them into constants, but some paths
 * (errors built from gRPC metadata) hand them over as raw negative bigints.
 */
const WIRE_NO_STREAM = -1n;
const WIRE_ANY = -2n;
const WIRE_STREAM_EXISTS = -4n;

export function toKurrentDbStreamState(expected: ExpectedVersion): AppendStreamState {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new InvalidEventError(
          `expectedVersion must be a non-negative integer or no_stream/exists/any, got ${String(expected)}`,
          'expectedVersion',
        );
      }
      return BigInt(expected);
  }
}

export function toVersionNumber(revision: bigint): number {
  const version = Number(revision);
  if (!Number.isSafeInteger(version)) {
    throw new DomainError('EVENT_STORE.REVISION_OUT_OF_RANGE', 'internal', `Stream revision ${revision} does not fit a number`);
  }
  return version;
}

export function fromKurrentDbExpectedState(state: AppendStreamState): ExpectedVersion {
  if (state === NO_STREAM || state === WIRE_NO_STREAM) return 'no_stream';
  if (state === STREAM_EXISTS || state === WIRE_STREAM_EXISTS) return 'exists';
  if (state === ANY || state === WIRE_ANY) return 'any';
  return toVersionNumber(state);
}

export function fromKurrentDbActualState(state: CurrentStreamState): ActualVersion {
  if (state === NO_STREAM || state === WIRE_NO_STREAM) return 'no_stream';
  return toVersionNumber(state);
}

// `type` as well as instanceof: a second copy of the client in node_modules would defeat instanceof.
export function isWrongExpectedVersionError(error: unknown): error is WrongExpectedVersionError {
  return (
    error instanceof WrongExpectedVersionError ||
    (error instanceof Error && (error as { type?: unknown }).type === ErrorType.WRONG_EXPECTED_VERSION)
  );
}

export function isStreamNotFoundError(error: unknown): error is StreamNotFoundError {
  return (
    error instanceof StreamNotFoundError ||
    (error instanceof Error && (error as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND)
  );
}

export function toKurrentDbConcurrencyError(error: WrongExpectedVersionError, streamName: string): ConcurrencyError {
  return new ConcurrencyError(
    streamName,
    fromKurrentDbExpectedState(error.expectedState),
    fromKurrentDbActualState(error.actualState),
  );
}
