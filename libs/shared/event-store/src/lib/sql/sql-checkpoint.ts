import { InvalidCheckpointError } from '../event-store.errors';

/**
 * A position in the PostgreSQL global feed: the writing transaction's id, then the event's
 * sequence position (ARCHITECTURE.md §2.1). Never the position alone: a position taken by a
 * transaction that commits late is smaller than positions already read.
 */
export interface SqlCheckpoint {
  /** xid8, as decimal digits. */
  readonly transactionId: string;
  /** global_position, as decimal digits. */
  readonly globalPosition: string;
}

/** Before every event: transaction ids start at 3 and positions at 1. */
export const startOfFeed: SqlCheckpoint = { transactionId: '0', globalPosition: '0' };

const checkpointPattern = /^(0|[1-9][0-9]{0,19}):(0|[1-9][0-9]{0,18})$/;

export function encodeSqlCheckpoint(checkpoint: SqlCheckpoint): string {
  return `${checkpoint.transactionId}:${checkpoint.globalPosition}`;
}

export function decodeSqlCheckpoint(value: string): SqlCheckpoint {
  const match = checkpointPattern.exec(value);
  if (!match || match[1] === undefined || match[2] === undefined) throw new InvalidCheckpointError(value);
  return { transactionId: match[1], globalPosition: match[2] };
}

export function compareSqlCheckpoints(a: string, b: string): number {
  const left = decodeSqlCheckpoint(a);
  const right = decodeSqlCheckpoint(b);
  return (
    compareDecimal(left.transactionId, right.transactionId) || compareDecimal(left.globalPosition, right.globalPosition)
  );
}

function compareDecimal(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
