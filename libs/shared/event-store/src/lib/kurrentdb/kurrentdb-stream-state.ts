import {
  ANY,
  BACKWARDS,
  END,
  type AppendStreamState,
  type CurrentStreamState,
  ErrorType,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '@tieuchi/shared/kernel';
import { ConcurrencyError, InvalidEventError, type ActualVersion } from '../event-store.errors';
import type { ExpectedVersion } from '../event-store.port';
import type { KurrentDbClientLike } from './kurrentdb-client.port';

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

/**
 * The conflict behind an append answered `{ success: false }`. Its `nextExpectedRevision` cannot be
 * trusted (client 1.3.1's batch path reports 1 for any existing stream), so the stream's revision
 * is read, again while it contradicts the refusal: reads lag until the winning write is indexed.
 */
export async function refusedAppendError(
  client: KurrentDbClientLike,
  streamName: string,
  expected: ExpectedVersion,
  reported: bigint,
): Promise<ConcurrencyError> {
  if (reported < 0n) return new ConcurrencyError(streamName, expected, 'no_stream');
  let actual: ActualVersion = 'no_stream';
  for (let attempt = 0; attempt < refusalReadAttempts; attempt += 1) {
    actual = await lastVersionOf(client, streamName);
    if (actual !== 'no_stream' && actual !== expected) break;
    await sleep(refusalReadDelayMs);
  }
  return new ConcurrencyError(streamName, expected, actual);
}

const refusalReadAttempts = 50;
const refusalReadDelayMs = 10;

async function lastVersionOf(client: KurrentDbClientLike, streamName: string): Promise<ActualVersion> {
  let actual: ActualVersion = 'no_stream';
  try {
    for await (const resolved of client.readStream(streamName, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
      if (resolved.event) actual = toVersionNumber(resolved.event.revision);
    }
  } catch (error) {
    if (!isStreamNotFoundError(error)) throw error;
  }
  return actual;
}
