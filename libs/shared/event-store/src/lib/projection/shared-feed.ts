import type { EventStore, ReadAllResult, RecordedEvent } from '../event-store.port';
import { WakeSignal } from '../reader/wake-signal';

/** What a projection runner reads the global feed through. */
export interface FeedReader {
  readAll(fromCheckpoint: string | null, batchSize: number): Promise<ReadAllResult>;
}

/** One reader's place in a shared feed: a runner opens one per tenure and closes it when the tenure ends. */
export interface FeedCursor extends FeedReader {
  close(): void;
}

export interface SharedFeedOptions {
  /** Events kept in memory at most; the oldest pages go first. Default 50,000: a few catch-up batches, so runners a few batches apart still share one read. */
  readonly maxEvents?: number;
  /** Events per read from the store. Default 1,000. */
  readonly pageSize?: number;
  /** A page no reader asked for in this long is dropped, so an idle process keeps nothing. Default 5 s. */
  readonly idleMs?: number;
  /** A reader that has not read in this long no longer holds the kept pages it has not read yet. Default 30 s. */
  readonly readerIdleMs?: number;
  /** The clock idleness is measured by (tests). */
  readonly now?: () => number;
}

interface Page extends ReadAllResult {
  /** The checkpoint the page starts after (null: the start of the feed). */
  readonly start: string | null;
  /** Where the read after this page continues (past the last event when the store hid some). */
  readonly checkpoint: string;
  lastUsed: number;
}

interface Cursor {
  /** Where its next read starts, as far as the feed knows. */
  at: string | null;
  lastRead: number;
  reading: boolean;
}

export interface SharedFeedStats {
  /** Events handed to readers. */
  readonly served: number;
  /** Events read from the store. */
  readonly read: number;
  /** Events kept now. */
  readonly kept: number;
}

/**
 * The global feed read once for every projection of a process, so six projections catching up do
 * not read and decode a national history six times. It keeps the last pages it read, one stretch of
 * the feed in order. A reader ahead waits before reading past the kept stretch while it is full and
 * a reader within it still needs its oldest page: readers that go together stay together, each at
 * the pace of the slowest, rather than drifting apart and each reading the feed again. A reader
 * behind the kept stretch (a rebuild from the start, beside live runners at the head) reads the
 * store on its own and holds nobody back. Events are shared: never mutate.
 */
export class SharedFeed {
  /** The kept stretch, oldest first; each page starts where the one before it ends. */
  private pages: Page[] = [];
  private readonly cursors = new Set<Cursor>();
  /** The read that extends the kept stretch (or starts it), shared by every reader that needs it meanwhile. */
  private extending: { readonly from: string | null; readonly read: Promise<ReadAllResult> } | null = null;
  /** Wakes the read waiting for room when a reader moves on or goes. */
  private readonly moved = new WakeSignal();
  private readonly maxEvents: number;
  private readonly pageSize: number;
  private readonly idleMs: number;
  private readonly readerIdleMs: number;
  private readonly now: () => number;
  private kept = 0;
  private served = 0;
  private read = 0;

  constructor(
    private readonly source: Pick<EventStore, 'readAll' | 'compareCheckpoints'>,
    options: SharedFeedOptions = {},
  ) {
    this.maxEvents = options.maxEvents ?? 50_000;
    this.pageSize = options.pageSize ?? 1_000;
    this.idleMs = options.idleMs ?? 5_000;
    this.readerIdleMs = options.readerIdleMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get stats(): SharedFeedStats {
    return { served: this.served, read: this.read, kept: this.kept };
  }

  /** A reader of its own: the feed knows where it stands until it is closed. */
  reader(): FeedCursor {
    const cursor: Cursor = { at: null, lastRead: this.now(), reading: false };
    this.cursors.add(cursor);
    return {
      readAll: (fromCheckpoint, batchSize) => this.readFor(cursor, fromCheckpoint, batchSize),
      close: () => {
        this.cursors.delete(cursor);
        this.moved.wake();
      },
    };
  }

  private async readFor(cursor: Cursor, fromCheckpoint: string | null, batchSize: number): Promise<ReadAllResult> {
    this.dropIdle();
    cursor.at = fromCheckpoint;
    cursor.reading = true;
    try {
      const events: RecordedEvent[] = [];
      let at = fromCheckpoint;
      while (events.length < batchSize) {
        const slot = this.locate(at);
        let page: ReadAllResult;
        let index = 0;
        if (slot) {
          ({ page, index } = slot);
          // The last event of a page the store read past hidden events: on from where it ended.
          if (index === page.events.length) {
            at = page.checkpoint;
            continue;
          }
        } else if (this.extending ? this.extending.from === at : this.pages.length === 0 || at === this.front) {
          page = await this.extend(at);
        } else {
          // Behind (or apart from) the kept stretch: read on alone, keeping nothing.
          page = await this.source.readAll(at, batchSize - events.length);
          this.read += page.events.length;
        }
        if (page.events.length === 0) {
          // Nothing more is visible; a store that read past events it hides still moves the checkpoint.
          if (page.checkpoint !== null) at = page.checkpoint;
          break;
        }
        const taken = page.events.slice(index, index + batchSize - events.length);
        events.push(...taken);
        at = index + taken.length === page.events.length ? page.checkpoint : (taken.at(-1) as RecordedEvent).checkpoint;
        cursor.at = at;
      }
      this.served += events.length;
      return { events, checkpoint: at };
    } finally {
      cursor.reading = false;
      cursor.lastRead = this.now();
      this.moved.wake();
    }
  }

  /** Where the kept stretch ends: the next read from the store extends it from here. */
  private get front(): string | null | undefined {
    return this.pages.at(-1)?.checkpoint;
  }

  /** The kept page holding the events after `checkpoint`, and the index of the first of them (a page's length: none, past hidden events). */
  private locate(checkpoint: string | null): { page: Page; index: number } | undefined {
    for (const page of this.pages) {
      const index = page.start === checkpoint ? 0 : checkpoint === null || page.checkpoint === checkpoint ? undefined : this.after(page, checkpoint);
      if (index === undefined) continue;
      page.lastUsed = this.now();
      return { page, index };
    }
    return undefined;
  }

  /** The index after the event with this checkpoint in the page, by bisection (pages are in feed order). */
  private after(page: Page, checkpoint: string): number | undefined {
    const compare = (index: number): number => this.source.compareCheckpoints((page.events[index] as RecordedEvent).checkpoint, checkpoint);
    let low = 0;
    let high = page.events.length - 1;
    if (compare(low) > 0 || compare(high) < 0) return undefined;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compare(middle);
      if (order === 0) return middle + 1;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** One read from the store at the front of the kept stretch (or starting it), kept. */
  private extend(from: string | null): Promise<ReadAllResult> {
    if (this.extending?.from === from) return this.extending.read;
    const read = (async () => {
      await this.roomAt(from);
      const result = await this.source.readAll(from, this.pageSize);
      this.read += result.events.length;
      if (result.events.length > 0 && result.checkpoint !== null && (this.pages.length === 0 || this.front === from)) {
        this.pages.push({ start: from, events: result.events, checkpoint: result.checkpoint, lastUsed: this.now() });
        this.kept += result.events.length;
        for (let oldest = this.pages[0] as Page; this.kept > this.maxEvents && !this.needed(oldest); oldest = this.pages[0] as Page) {
          this.pages.shift();
          this.kept -= oldest.events.length;
        }
      }
      return result;
    })().finally(() => {
      if (this.extending?.read === read) this.extending = null;
    });
    this.extending = { from, read };
    return read;
  }

  /** Waits while the kept stretch is full and an active reader has yet to read its oldest page. */
  private async roomAt(from: string | null): Promise<void> {
    for (;;) {
      const oldest = this.pages[0];
      // The stretch was let go meanwhile (or this read starts one): nothing to make room in.
      if (oldest === undefined || this.front !== from || this.kept < this.maxEvents || !this.needed(oldest)) return;
      await this.moved.wait(1_000);
    }
  }

  /** Whether a reader still active stands within this page, the oldest kept (one behind the kept stretch reads the store on its own). */
  private needed(oldest: Page): boolean {
    const activeSince = this.now() - this.readerIdleMs;
    for (const cursor of this.cursors) {
      if (!cursor.reading && cursor.lastRead < activeSince) continue;
      const fromStart = cursor.at === oldest.start || oldest.start === null || (cursor.at !== null && this.source.compareCheckpoints(cursor.at, oldest.start) > 0);
      if (fromStart && (cursor.at === null || this.source.compareCheckpoints(cursor.at, oldest.checkpoint) < 0)) return true;
    }
    return false;
  }

  /** Lets go of the oldest pages nobody asked for in idleMs, so an idle process keeps nothing. */
  private dropIdle(): void {
    const before = this.now() - this.idleMs;
    while (this.pages.length > 0 && (this.pages[0] as Page).lastUsed < before) {
      this.kept -= (this.pages.shift() as Page).events.length;
    }
  }
}

const sharedFeeds = new WeakMap<object, SharedFeed>();

/** The one shared feed of a store in this process. */
export function sharedFeedOf(source: EventStore): SharedFeed {
  let feed = sharedFeeds.get(source);
  if (!feed) {
    feed = new SharedFeed(source);
    sharedFeeds.set(source, feed);
  }
  return feed;
}
