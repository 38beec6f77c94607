import type { ReadAllResult, RecordedEvent } from '../event-store.port';
import { type FeedReader, SharedFeed } from './shared-feed';

/** Checkpoints that sort as text: the n-th position of the feed. */
const at = (position: number): string => String(position).padStart(8, '0');

/**
 * A feed in memory that counts what it is asked. `hidden` positions are read past but never
 * returned, as KurrentDB hides its system events: the checkpoint then moves past the last event.
 */
class MemoryFeed {
  private readonly byPosition = new Map<number, RecordedEvent>();
  readonly hidden = new Set<number>();
  reads = 0;
  eventsRead = 0;
  private length = 0;

  append(count: number, hidden = false): void {
    for (let i = 0; i < count; i += 1) {
      this.length += 1;
      if (hidden) this.hidden.add(this.length);
      else {
        const event = {
          id: `e${this.length}`,
          streamName: `s-${this.length % 3}`,
          version: 0,
          type: 'Happened',
          data: { n: this.length },
          metadata: { actor: 'a', occurredAt: '2026-01-01T00:00:00.000Z', correlationId: 'c', causationId: 'c' },
          recordedAt: '2026-01-01T00:00:00.000Z',
          checkpoint: at(this.length),
        } as RecordedEvent;
        this.byPosition.set(this.length, event);
      }
    }
  }

  compareCheckpoints(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  async readAll(from: string | null, batchSize: number): Promise<ReadAllResult> {
    this.reads += 1;
    const start = from === null ? 0 : Number(from);
    const events: RecordedEvent[] = [];
    let position = start;
    while (position < this.length && events.length < batchSize) {
      position += 1;
      if (!this.hidden.has(position)) events.push(this.byPosition.get(position) as RecordedEvent);
    }
    this.eventsRead += events.length;
    return { events, checkpoint: position === start ? from : at(position) };
  }
}

/** Reads the whole feed through `reader`, `batchSize` at a time, as a projection runner does. */
async function readToEnd(reader: FeedReader, batchSize: number, from: string | null = null): Promise<{ ids: string[]; checkpoint: string | null }> {
  const ids: string[] = [];
  let checkpoint = from;
  for (;;) {
    const page = await reader.readAll(checkpoint, batchSize);
    ids.push(...page.events.map((e) => e.id));
    if (page.checkpoint === checkpoint) return { ids, checkpoint };
    checkpoint = page.checkpoint;
  }
}

const ids = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `e${from + i}`);

/** Whether the promise is still pending after the feed's pending reads and timers of this turn have run. */
async function stillPending(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  return !settled;
}

describe('SharedFeed', () => {
  it('hands every reader the whole feed in order whatever its batch size, reading the store once for readers that go together', async () => {
    const source = new MemoryFeed();
    source.append(2_500);
    const feed = new SharedFeed(source, { pageSize: 1_000 });
    const [a, b, c] = await Promise.all([readToEnd(feed.reader(), 100), readToEnd(feed.reader(), 2_000), readToEnd(feed.reader(), 333)]);
    for (const read of [a, b, c]) expect(read).toEqual({ ids: ids(1, 2_500), checkpoint: at(2_500) });
    expect(source.eventsRead).toBe(2_500);
    expect(feed.stats).toMatchObject({ served: 7_500, read: 2_500 });
  });

  it('never answers the end of what it keeps as the end of the feed: events appended since are read', async () => {
    const source = new MemoryFeed();
    source.append(10);
    const feed = new SharedFeed(source, { pageSize: 1_000 });
    expect((await readToEnd(feed.reader(), 100)).ids).toEqual(ids(1, 10));
    source.append(5);
    // One reader half-way through the kept page, one at its end: both reach the new events.
    expect(await readToEnd(feed.reader(), 100, at(5))).toEqual({ ids: ids(6, 15), checkpoint: at(15) });
    expect(await readToEnd(feed.reader(), 100, at(10))).toEqual({ ids: ids(11, 15), checkpoint: at(15) });
  });

  it('follows a checkpoint the store moved past events it hides, within a batch and at the end of the feed', async () => {
    const source = new MemoryFeed();
    source.append(3);
    source.append(4, true);
    source.append(3);
    source.append(2, true);
    const feed = new SharedFeed(source, { pageSize: 4 });
    const reader = feed.reader();
    expect(await readToEnd(reader, 2)).toEqual({ ids: ['e1', 'e2', 'e3', 'e8', 'e9', 'e10'], checkpoint: at(12) });
    // From the last event: the hidden tail moves the checkpoint though no event comes.
    expect(await reader.readAll(at(10), 5)).toEqual({ events: [], checkpoint: at(12) });
    source.append(1);
    expect((await reader.readAll(at(12), 5)).events.map((e) => e.id)).toEqual(['e13']);
  });

  it('keeps at most maxEvents; a reader behind what it keeps reads the store alone until it reaches it', async () => {
    const source = new MemoryFeed();
    source.append(5_000);
    const feed = new SharedFeed(source, { pageSize: 500, maxEvents: 1_000 });
    expect((await readToEnd(feed.reader(), 500)).ids).toHaveLength(5_000);
    expect(feed.stats).toMatchObject({ read: 5_000, kept: 1_000 });
    // The first 4,000 are read again, the last 1,000 come from what is kept.
    expect((await readToEnd(feed.reader(), 500)).ids).toEqual(ids(1, 5_000));
    expect(feed.stats).toMatchObject({ read: 9_000, kept: 1_000 });
  });

  it('keeps readers together: one ahead waits at the end of what is kept for one still reading its oldest page, so the store is read once', async () => {
    const source = new MemoryFeed();
    source.append(5_000);
    const feed = new SharedFeed(source, { pageSize: 500, maxEvents: 1_000 });
    const slow = feed.reader();
    const first = await slow.readAll(null, 700);
    const fast = readToEnd(feed.reader(), 500);
    expect(await stillPending(fast)).toBe(true);
    expect(source.eventsRead).toBeLessThanOrEqual(1_500);
    expect((await readToEnd(slow, 700, first.checkpoint)).ids).toEqual(ids(701, 5_000));
    expect((await fast).ids).toEqual(ids(1, 5_000));
    expect(source.eventsRead).toBe(5_000);
  });

  it('holds no reader back for one that closed, went idle, or reads behind what is kept', async () => {
    let now = 0;
    const source = new MemoryFeed();
    source.append(3_000);
    const feed = new SharedFeed(source, { pageSize: 500, maxEvents: 1_000, readerIdleMs: 30_000, idleMs: 60_000, now: () => now });
    // Closed: the reader ahead goes on as soon as it goes.
    const closing = feed.reader();
    await closing.readAll(null, 100);
    const ahead = readToEnd(feed.reader(), 500);
    expect(await stillPending(ahead)).toBe(true);
    closing.close();
    expect((await ahead).ids).toEqual(ids(1, 3_000));
    // Idle for readerIdleMs: no longer waited for.
    source.append(3_000);
    const idle = feed.reader();
    await idle.readAll(at(3_000), 100);
    now += 30_001;
    const live = feed.reader();
    expect((await readToEnd(live, 500, at(3_000))).ids).toEqual(ids(3_001, 6_000));
    // Behind what is kept (a rebuild from the start beside runners at the head): reads alone.
    source.append(3_000);
    const rebuild = feed.reader();
    await rebuild.readAll(null, 500);
    expect((await readToEnd(live, 500, at(6_000))).ids).toEqual(ids(6_001, 9_000));
  });

  it('lets go of pages nobody asked for in idleMs', async () => {
    let now = 0;
    const source = new MemoryFeed();
    source.append(100);
    const feed = new SharedFeed(source, { idleMs: 5_000, now: () => now });
    await readToEnd(feed.reader(), 100);
    now = 4_000;
    await readToEnd(feed.reader(), 100);
    expect(source.eventsRead).toBe(100);
    now = 9_001;
    await readToEnd(feed.reader(), 100);
    expect(source.eventsRead).toBe(200);
  });

  it('shares one read among readers that ask for the same stretch at once', async () => {
    const source = new MemoryFeed();
    source.append(50);
    const feed = new SharedFeed(source);
    const pages = await Promise.all([feed.reader().readAll(null, 50), feed.reader().readAll(null, 50), feed.reader().readAll(null, 20)]);
    expect(pages.map((page) => page.events.length)).toEqual([50, 50, 20]);
    expect(source.reads).toBe(1);
    expect(source.eventsRead).toBe(50);
  });
});
