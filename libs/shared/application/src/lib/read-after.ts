import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_SCHEMA as S } from './projection-host';
import { EVENT_STORE, READ_MODEL_DB } from './tokens';
import type { EventStore, SqlClient } from '@tieuchi/shared/event-store';
import { DomainError } from '@tieuchi/shared/kernel';
import { setTimeout as sleep } from 'node:timers/promises';

const pollMs = 10;
const defaultTimeoutMs = 5_000;

/**
 * Read-your-writes: a query given the `position` a command answered waits until the projection's
 * committed checkpoint has reached it. It reads the shared checkpoint row, so it holds whether the
 * projection runs in this process or in a worker. Past the timeout the query answers what it has.
 */
@Injectable()
export class ReadAfter {
  constructor(
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async waitFor(projectionId: string, position: string | undefined, timeoutMs = defaultTimeoutMs): Promise<boolean> {
    if (position === undefined) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = (await this.database.query<{ checkpoint: string | null }>(`SELECT checkpoint FROM ${S}.projection_checkpoints WHERE projection_id = $1`, [projectionId])).rows[0];
      if (row?.checkpoint && this.reached(row.checkpoint, position)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(pollMs);
    }
  }

  /** A view folded from its stream on read shows every write at once: its `after` is only checked to be a position of this store. */
  check(position: string | undefined): void {
    if (position !== undefined) this.reached(position, position);
  }

  private reached(checkpoint: string, position: string): boolean {
    try {
      return this.store.compareCheckpoints(checkpoint, position) >= 0;
    } catch {
      throw new DomainError('REQUEST.INVALID_POSITION', 'validation', 'after must be a position returned by a command of this API.', 'after');
    }
  }
}
