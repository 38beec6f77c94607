import { InvalidCheckpointError } from '../event-store.errors';

/** A position in KurrentDB's transaction log, as the client reports it for events in `$all`. */
export interface KurrentDbPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

const MAX_POSITION = 2n ** 64n - 1n;
const CHECKPOINT_PATTERN = /^(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/;

/**
 * False for positions the server uses to mean "unknown": older servers report -1 or 2^64-1 for
 * events read from a stream rather than from `$all`.
 */
export function isKnownKurrentDbPosition(position: KurrentDbPosition | undefined): position is KurrentDbPosition {
  return (
    position !== undefined &&
    position.commit >= 0n &&
    position.prepare >= 0n &&
    position.commit < MAX_POSITION &&
    position.prepare < MAX_POSITION
  );
}

export function encodeKurrentDbCheckpoint(position: KurrentDbPosition): string {
  return `${position.commit}:${position.prepare}`;
}

/** Throws InvalidCheckpointError for anything `encodeKurrentDbCheckpoint` could not have produced. */
export function decodeKurrentDbCheckpoint(checkpoint: string): KurrentDbPosition {
  const match = CHECKPOINT_PATTERN.exec(checkpoint);
  if (!match || match[1] === undefined || match[2] === undefined) {
    throw new InvalidCheckpointError(checkpoint);
  }
  const position = { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
  if (!isKnownKurrentDbPosition(position)) throw new InvalidCheckpointError(checkpoint);
  return position;
}

/** Orders positions as `$all` does: by commit position, then by prepare position. */
export function compareKurrentDbPositions(a: KurrentDbPosition, b: KurrentDbPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
