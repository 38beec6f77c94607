import { ANY, NO_STREAM, STREAM_EXISTS, StreamNotFoundError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { ConcurrencyError, InvalidEventError } from '../event-store.errors';
import type { ExpectedVersion } from '../event-store.port';
import {
  fromKurrentDbActualState,
  fromKurrentDbExpectedState,
  isStreamNotFoundError,
  isWrongExpectedVersionError,
  toKurrentDbConcurrencyError,
  toKurrentDbStreamState,
} from './kurrentdb-stream-state';

describe('KurrentDB stream state mapping', () => {
  it.each<[ExpectedVersion, unknown]>([
    [0, 0n],
    [41, 41n],
    ['no_stream', NO_STREAM],
    ['exists', STREAM_EXISTS],
    ['any', ANY],
  ])('maps our expectedVersion %p to their stream state %p', (ours, theirs) => {
    expect(toKurrentDbStreamState(ours)).toBe(theirs);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('rejects the expectedVersion %p before any I/O', (version) => {
    expect(() => toKurrentDbStreamState(version)).toThrow(InvalidEventError);
  });

  it.each<[Parameters<typeof fromKurrentDbExpectedState>[0], ExpectedVersion]>([
    [NO_STREAM, 'no_stream'],
    [STREAM_EXISTS, 'exists'],
    [ANY, 'any'],
    [7n, 7],
    // Errors built from gRPC metadata carry the wire sentinels as raw numbers.
    [-1n, 'no_stream'],
    [-2n, 'any'],
    [-4n, 'exists'],
  ])('maps their expected state %p back to %p', (theirs, ours) => {
    expect(fromKurrentDbExpectedState(theirs)).toBe(ours);
  });

  it('maps their actual "no stream" (constant or -1) to our no_stream, and revisions to numbers', () => {
    expect(fromKurrentDbActualState(NO_STREAM)).toBe('no_stream');
    expect(fromKurrentDbActualState(-1n)).toBe('no_stream');
    expect(fromKurrentDbActualState(0n)).toBe(0);
    expect(fromKurrentDbActualState(12n)).toBe(12);
  });

  it('translates WrongExpectedVersionError into a ConcurrencyError with both versions', () => {
    const theirs = new WrongExpectedVersionError(undefined, { streamName: 'assessment-1', expected: 3n, current: 5n });
    const ours = toKurrentDbConcurrencyError(theirs, 'assessment-1');
    expect(ours).toBeInstanceOf(ConcurrencyError);
    expect(ours).toMatchObject({
      code: 'EVENT_STORE.CONCURRENCY',
      category: 'conflict',
      streamName: 'assessment-1',
      expectedVersion: 3,
      actualVersion: 5,
    });
  });

  it('translates an expected revision against a missing stream to actual no_stream', () => {
    const theirs = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: NO_STREAM });
    expect(toKurrentDbConcurrencyError(theirs, 's')).toMatchObject({ expectedVersion: 0, actualVersion: 'no_stream' });
  });

  it('recognises the client errors by instance and by their type tag', () => {
    const wrong = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'no_stream', current: 0n });
    const missing = new StreamNotFoundError(undefined, 's');
    expect(isWrongExpectedVersionError(wrong)).toBe(true);
    expect(isStreamNotFoundError(missing)).toBe(true);
    expect(isWrongExpectedVersionError(missing)).toBe(false);
    expect(isStreamNotFoundError(new Error('boom'))).toBe(false);
    expect(isStreamNotFoundError(Object.assign(new Error('copy'), { type: 'stream-not-found' }))).toBe(true);
  });
});
