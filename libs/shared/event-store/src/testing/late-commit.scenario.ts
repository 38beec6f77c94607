import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@tieuchi/shared/kernel';
import type { EventStore, ExpectedVersion, NewEvent } from '../lib/event-store.port';

export interface LateCommitScenarioOptions {
  readonly writers: number;
  readonly transactionsPerWriter: number;
  /** Every n-th transaction sleeps before commit (3 → a third of them). */
  readonly lateEvery: number;
  readonly maxDelayMs: number;
}

export const defaultLateCommitScenario: LateCommitScenarioOptions = {
  writers: 8,
  transactionsPerWriter: 200,
  lateEvery: 3,
  maxDelayMs: 15,
};

/**
 * Fault injection for the late-commit test: wired into an adapter's `beforeCommit` hook, it holds
 * every n-th append transaction open for 0..maxDelayMs after its rows are written, while active.
 */
export class LateCommitInjector {
  private active = false;
  private calls = 0;
  private delayed = 0;

  constructor(private readonly options: Pick<LateCommitScenarioOptions, 'lateEvery' | 'maxDelayMs'> = defaultLateCommitScenario) {}

  readonly beforeCommit = async (): Promise<void> => {
    if (!this.active) return;
    if (this.calls++ % this.options.lateEvery !== 0) return;
    this.delayed += 1;
    await sleep(Math.random() * this.options.maxDelayMs);
  };

  /** Transactions held open so far. */
  get delayedCommits(): number {
    return this.delayed;
  }

  activate(): void {
    this.active = true;
  }

  deactivate(): void {
    this.active = false;
  }
}

/** Events the writers append: transaction t carries 1 + (t mod 3) events. */
export function lateCommitEventCount(options: Pick<LateCommitScenarioOptions, 'writers' | 'transactionsPerWriter'>): number {
  let perWriter = 0;
  for (let t = 0; t < options.transactionsPerWriter; t += 1) perWriter += 1 + (t % 3);
  return perWriter * options.writers;
}

export interface WrittenEvent {
  readonly streamName: string;
  readonly version: number;
}

export interface LateCommitWriteResult {
  /** Every appended event by id. */
  readonly events: ReadonlyMap<string, WrittenEvent>;
  /** The greatest checkpoint returned by any append: a correct reader that reaches it has seen all. */
  readonly lastCheckpoint: string;
  readonly streamPrefix: string;
}

/**
 * The writers of the late-commit scenario: each appends to its own few streams, one to three
 * events per transaction, with expected versions it tracks itself (so none fails).
 */
export async function runLateCommitWriters(
  store: EventStore,
  injector: LateCommitInjector,
  options: LateCommitScenarioOptions = defaultLateCommitScenario,
): Promise<LateCommitWriteResult> {
  const streamPrefix = `late-${randomUUID()}`;
  const events = new Map<string, WrittenEvent>();
  const checkpoints: string[] = [];
  const writer = async (writerIndex: number): Promise<void> => {
    const versions = new Map<string, number>();
    for (let t = 0; t < options.transactionsPerWriter; t += 1) {
      const streamName = `${streamPrefix}-w${writerIndex}-s${t % 4}`;
      const current = versions.get(streamName);
      const expectedVersion: ExpectedVersion = current === undefined ? 'no_stream' : current;
      const batch: NewEvent[] = Array.from({ length: 1 + (t % 3) }, (_, i) => ({
        id: randomUUID(),
        type: 'LateCommitProbed',
        data: { writer: writerIndex, transaction: t, index: i },
        metadata: scenarioMetadata,
      }));
      const result = await store.appendToStream(streamName, batch, { expectedVersion });
      const first = result.nextExpectedVersion - batch.length + 1;
      batch.forEach((event, i) => events.set(event.id.toLowerCase(), { streamName, version: first + i }));
      versions.set(streamName, result.nextExpectedVersion);
      checkpoints.push(result.checkpoint);
    }
  };
  injector.activate();
  try {
    await Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w)));
  } finally {
    injector.deactivate();
  }
  const lastCheckpoint = checkpoints.reduce((max, checkpoint) => (store.compareCheckpoints(checkpoint, max) > 0 ? checkpoint : max));
  return { events, lastCheckpoint, streamPrefix };
}

/**
 * Checks what a reader saw of the scenario: every event exactly once, each stream in version order.
 * Returns the problems found (empty when the reader was correct).
 */
export function auditDelivery(written: LateCommitWriteResult, delivered: readonly { id: string; streamName: string; version: number }[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const lastVersion = new Map<string, number>();
  for (const event of delivered) {
    if (!event.streamName.startsWith(written.streamPrefix)) continue;
    const id = event.id.toLowerCase();
    seen.set(id, (seen.get(id) ?? 0) + 1);
    const previous = lastVersion.get(event.streamName) ?? -1;
    if (event.version !== previous + 1) problems.push(`${event.streamName}: version ${event.version} after ${previous}`);
    lastVersion.set(event.streamName, event.version);
  }
  for (const [id, count] of seen) if (count > 1) problems.push(`${id} delivered ${count} times`);
  const missing = [...written.events.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) problems.push(`${missing.length} of ${written.events.size} events never delivered`);
  return problems;
}

const scenarioMetadata: EventMetadata = {
  actor: 'system:contract-suite',
  correlationId: 'late-commit',
  causationId: 'late-commit',
  occurredAt: '2019-12-31T17:00:00.000Z',
  schemaVersion: 1,
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
