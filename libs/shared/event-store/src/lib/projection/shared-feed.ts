import type { EventStore, ReadAllResult, RecordedEvent } from '../event-store.port';

/** What a projection runner reads the global feed through. */
export interface FeedReader {
  readAll(fromCheckpoint: string | null, batchSize: number): Promise<ReadAllResult>;
}

export interface SharedFeedOptions {
  /** Events kept in memory at most; the oldest pages go first. Default 50,000: a few catch-up batches, so runners a few batches apart still share one read. */
  readonly maxEvents?: number;
  /** Events per read from the store. Default 1,000. */
  readonly pageSize?: number;
  /** A page no reader asked for in this long is dropped, so an idle process keeps nothing. Default 5 s. */
  readonly idleMs?: number;
  /** The clock idleness is measured by (tests). */
  readonly now?: () => number;
}

interface Page {
  readonly events: readonly RecordedEvent[];
  /** Where the read after this page continues (past the last event when the store hid some). */
  readonly checkpoint: string;
  lastUsed: number;
}

export interface SharedFeedStats {
  /** Events handed to readers. */
  readonly served: number;
  /** Events read from the store. */
  readonly read: number;
  /** Events kept now. */
  readonly kept: number;
}

const keyOf = (checkpoint: string | null): string => checkpoint ?? '';

/**
 * The global feed read once for every projection of a process, so six projections catching up do
 * not read and decode a national history six times. The feed only grows at its end, so a kept page
 * never goes stale; past the kept pages a runner asks the store. Events are shared: never mutate.
 */
export class SharedFeed implements FeedReader {
  /** Pages by the checkpoint they start after. */
  private readonly pages = new Map<string, Page>();
  private readonly reading = new Map<string, Promise<ReadAllResult>>();
  private readonly maxEvents: number;
  private readonly pageSize: number;
  private readonly idleMs: number;
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
    this.now = options.now ?? Date.now;
  }

  get stats(): SharedFeedStats {
    return { served: this.served, read: this.read, kept: this.kept };
  }

  async readAll(fromCheckpoint: string | null, batchSize: number): Promise<ReadAllResult> {
    this.dropIdle();
    const events: RecordedEvent[] = [];
    let at = fromCheckpoint;
    while (events.length < batchSize) {
      let slot = this.locate(at);
      // The end of a kept page: on to the next one, which starts where this one ended.
      if (slot && slot.index === slot.page.events.length && slot.page.checkpoint !== at) {
        at = slot.page.checkpoint;
        continue;
      }
      if (!slot || slot.index === slot.page.events.length) {
        const page = await this.fetch(at);
        if (page.events.length === 0) {
          // Nothing more is visible; a store that read past events it hides still moves the checkpoint.
          if (page.checkpoint !== null) at = page.checkpoint;
          break;
        }
        slot = { page: { events: page.events, checkpoint: page.checkpoint as string, lastUsed: 0 }, index: 0 };
      }
      const taken = slot.page.events.slice(slot.index, slot.index + batchSize - events.length);
      events.push(...taken);
      at = slot.index + taken.length === slot.page.events.length ? slot.page.checkpoint : (taken.at(-1) as RecordedEvent).checkpoint;
    }
    this.served += events.length;
    return { events, checkpoint: at };
  }

  /** Where the events after `checkpoint` are kept, if they are. */
  private locate(checkpoint: string | null): { page: Page; index: number } | undefined {
    const now = this.now();
    const starting = this.pages.get(keyOf(checkpoint));
    if (starting) {
      starting.lastUsed = now;
      return { page: starting, index: 0 };
    }
    if (checkpoint === null) return undefined;
    for (const page of this.pages.values()) {
      const index = this.indexIn(page, checkpoint);
      if (index === undefined) continue;
      page.lastUsed = now;
      return { page, index: index + 1 };
    }
    return undefined;
  }

  /** The index of the event with this checkpoint in the page, by bisection (pages are in feed order). */
  private indexIn(page: Page, checkpoint: string): number | undefined {
    const compare = (index: number): number => this.source.compareCheckpoints((page.events[index] as RecordedEvent).checkpoint, checkpoint);
    let low = 0;
    let high = page.events.length - 1;
    if (compare(low) > 0 || compare(high) < 0) return undefined;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compare(middle);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** One read from the store after `checkpoint`, shared by every reader that needs it meanwhile, and kept. */
  private fetch(checkpoint: string | null): Promise<ReadAllResult> {
    const key = keyOf(checkpoint);
    const pending = this.reading.get(key);
    if (pending) return pending;
    const read = this.source
      .readAll(checkpoint, this.pageSize)
      .then((result) => {
        this.read += result.events.length;
        if (result.events.length > 0 && result.checkpoint !== null) this.keep(key, { events: result.events, checkpoint: result.checkpoint, lastUsed: this.now() });
        return result;
      })
      .finally(() => this.reading.delete(key));
    this.reading.set(key, read);
    return read;
  }

  private keep(key: string, page: Page): void {
    if (this.pages.has(key)) return;
    this.pages.set(key, page);
    this.kept += page.events.length;
    for (const [oldest, old] of this.pages) {
      if (this.kept <= this.maxEvents || old === page) break;
      this.drop(oldest, old);
    }
  }

  private dropIdle(): void {
    if (this.pages.size === 0) return;
    const before = this.now() - this.idleMs;
    for (const [key, page] of this.pages) if (page.lastUsed < before) this.drop(key, page);
  }

  private drop(key: string, page: Page): void {
    this.pages.delete(key);
    this.kept -= page.events.length;
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
