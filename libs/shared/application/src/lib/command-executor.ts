import { Inject, Injectable } from '@nestjs/common';
import { type DomainEvent, DomainError, type MessageMetadata } from '@tieuchi/shared/kernel';
import { type EventStore, isConcurrencyError, type NewEvent, type RecordedEvent } from '@tieuchi/shared/event-store';
import { eventStoreAppendDuration } from '@tieuchi/shared/observability';
import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import { v5 as uuidV5 } from 'uuid';
import type { RequestContext } from './request-context';
import { staleVersion } from './stream-versions';
import { CLOCK, type Clock, EVENT_STORE } from './tokens';

/** How one stream's state is rebuilt and changed: the decider, with any context already bound. */
export interface StreamDecision<TState, TEvent extends DomainEvent> {
  readonly streamName: string;
  readonly initialState: () => TState;
  readonly evolve: (state: TState, event: TEvent) => TState;
  /**
   * Returns the new events, or throws a DomainError. Gets the state folded from the stream and the
   * command's metadata (actor, correlation, the one instant the command happens at).
   */
  readonly decide: (state: TState, metadata: MessageMetadata) => readonly TEvent[];
  /** Schema version of each event type written now; 1 unless an upcaster exists for an older shape. */
  readonly schemaVersionOf?: (type: string) => number;
}

export interface CommandOutcome<TEvent extends DomainEvent> {
  readonly streamName: string;
  /** The stream's version after the command: the ETag of the resource. */
  readonly version: number;
  readonly events: readonly TEvent[];
  /** Where the last appended event sits in the global feed; projections can be awaited on it. */
  readonly checkpoint: string | null;
}

interface FoldedStream {
  readonly initialState: () => unknown;
  readonly evolve: (state: never, event: never) => unknown;
  readonly state: unknown;
  readonly version: number;
}

/** The error code of an append refused because the stream moved after it was read. */
export const CONCURRENT_WRITE = 'REQUEST.CONCURRENT_WRITE';

/**
 * Folded state kept between commands (LRU), counted in events folded, not streams: a national
 * recalculation visits 11,000 streams of 200 events, so a stream count would not bound memory.
 */
const foldedEventCapacity = 50_000;

// Event ids derived from the Idempotency-Key make a retried request append nothing twice even
// when the first attempt crashed after appending and before its answer was stored.
const eventIdNamespace = '6f0c2a55-7d0e-4c55-9a40-5d1f3b6a2e10';

/**
 * How long a retry with the same Idempotency-Key is recognised by its stored events (recordedAt)
 * and answered without appending. The executor looks before appending because KurrentDB writes the
 * same ids again when a retry expects the stream's current version (IndexWriter.CheckCommit).
 */
export const IDEMPOTENT_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
const retryLookbackPage = 128;

function derivedEventId(actor: string, idempotencyKey: string, streamName: string, index: number): string {
  return uuidV5(`${actor}\n${idempotencyKey}\n${streamName}\n${index}`, eventIdNamespace);
}

/**
 * load → decide → append (ARCHITECTURE.md §4.5). The append expects the version that was read,
 * so a concurrent writer makes it fail: 412 when the client named the version it saw (If-Match),
 * 409 otherwise. Nothing is ever overwritten.
 */
@Injectable()
export class CommandExecutor {
  private readonly folded = new LRUCache<string, FoldedStream>({ maxSize: foldedEventCapacity, sizeCalculation: (fold) => fold.version + 1 });

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Reads a stream and folds it; returns the state and its version (-1 when the stream is empty). */
  /** A stream's events, for a reader that folds them itself (loadFrameworkVersion). */
  readStream(streamName: string): Promise<RecordedEvent[]> {
    return this.eventStore.readStream(streamName);
  }

  async load<TState, TEvent extends DomainEvent>(
    streamName: string,
    initialState: () => TState,
    evolve: (state: TState, event: TEvent) => TState,
  ): Promise<{ state: TState; version: number; events: readonly RecordedEvent[] }> {
    const events = await this.eventStore.readStream(streamName);
    const state = events.reduce((s, e) => evolve(s, { type: e.type, data: e.data } as TEvent), initialState());
    return { state, version: events.length === 0 ? -1 : (events[events.length - 1]?.version ?? -1), events };
  }

  /**
   * The state and version of a stream, as `load` gives them, reading only the events after the
   * state this process last folded for it. Events are immutable and versions dense, so the fold
   * of the stored prefix plus the events read now equals the fold of the whole stream; the read
   * still goes to the store every time, so the version is as fresh as a full read's.
   */
  async loadState<TState, TEvent extends DomainEvent>(
    streamName: string,
    initialState: () => TState,
    evolve: (state: TState, event: TEvent) => TState,
  ): Promise<{ state: TState; version: number }> {
    const known = this.folded.get(streamName);
    const cached = known && known.evolve === evolve && known.initialState === initialState ? known : undefined;
    const events = await this.eventStore.readStream(streamName, cached ? { fromVersion: cached.version + 1 } : {});
    let state = cached ? (cached.state as TState) : initialState();
    for (const event of events) state = evolve(state, { type: event.type, data: event.data } as TEvent);
    const version = events.at(-1)?.version ?? cached?.version ?? -1;
    if (version >= 0) this.remember(streamName, { initialState, evolve: evolve as FoldedStream['evolve'], state, version });
    return { state, version };
  }

  async execute<TState, TEvent extends DomainEvent>(
    decision: StreamDecision<TState, TEvent>,
    context: RequestContext,
  ): Promise<CommandOutcome<TEvent>> {
    const known = await this.loadState(decision.streamName, decision.initialState, decision.evolve);
    // A retry whose first attempt's events are stored gets that attempt's outcome; it is looked
    // for before If-Match and the decision, which both see the stream those events moved on.
    if (context.idempotencyKey !== undefined && known.version >= 0) {
      const stored = await this.findStoredAttempt<TEvent>(decision.streamName, context.authority ?? context.actor, context.idempotencyKey, known.version);
      if (stored) return stored;
    }
    return this.executeOn(decision, known, context);
  }

  /**
   * decide → append on a state the caller already holds for `version` (e.g. kept by a process).
   * The append expects that version, so a stream that moved refuses it as a concurrent write would.
   * It reads nothing: the store itself recognises a keyed retry expecting the same version.
   */
  async executeOn<TState, TEvent extends DomainEvent>(
    decision: Pick<StreamDecision<TState, TEvent>, 'streamName' | 'decide' | 'schemaVersionOf'>,
    known: { readonly state: TState; readonly version: number },
    context: RequestContext,
  ): Promise<CommandOutcome<TEvent>> {
    const { state, version } = known;
    if (context.ifMatch !== undefined && context.ifMatch !== version) {
      throw await this.staleVersion(decision.streamName, context.ifMatch, version < 0 ? 'no_stream' : version);
    }
    const commandId = context.idempotencyKey ?? randomUUID();
    const metadata: MessageMetadata = {
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: commandId,
      occurredAt: this.clock.now().toISOString(),
    };
    const events = decision.decide(state, metadata);
    if (events.length === 0) return { streamName: decision.streamName, version, events, checkpoint: null };

    const toAppend: NewEvent[] = events.map((event, index) => ({
      id: context.idempotencyKey ? derivedEventId(context.authority ?? context.actor, context.idempotencyKey, decision.streamName, index) : randomUUID(),
      type: event.type,
      data: event.data,
      metadata: { ...metadata, schemaVersion: decision.schemaVersionOf?.(event.type) ?? 1 },
    }));
    const timer = eventStoreAppendDuration.startTimer();
    try {
      const result = await this.eventStore.appendToStream(decision.streamName, toAppend, {
        expectedVersion: version < 0 ? 'no_stream' : version,
      });
      timer({ outcome: 'ok' });
      return { streamName: decision.streamName, version: result.nextExpectedVersion, events, checkpoint: result.checkpoint };
    } catch (error) {
      timer({ outcome: isConcurrencyError(error) ? 'conflict' : 'error' });
      if (isConcurrencyError(error)) {
        if (context.ifMatch !== undefined) throw await this.staleVersion(decision.streamName, context.ifMatch, error.actualVersion);
        throw new DomainError(CONCURRENT_WRITE, 'conflict', `${decision.streamName} changed while this command ran: reload it and try again.`, undefined, {
          streamName: decision.streamName,
        });
      }
      throw error;
    }
  }

  /** The refusal of a stale If-Match, with the position of the stream's latest write (read only on this path). */
  private async staleVersion(streamName: string, ifMatch: number, actual: number | 'no_stream'): Promise<DomainError> {
    const [latest] = actual === 'no_stream' ? [] : await this.eventStore.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    return staleVersion(streamName, ifMatch, actual, latest?.checkpoint ?? null);
  }

  /**
   * The outcome of an earlier attempt of this keyed command, if its events are in the stream:
   * reads backwards from `upTo` for its first event id, as far as events recorded within
   * IDEMPOTENT_RETRY_WINDOW_MS, then takes the events with its following ids.
   */
  private async findStoredAttempt<TEvent extends DomainEvent>(
    streamName: string,
    actor: string,
    idempotencyKey: string,
    upTo: number,
  ): Promise<CommandOutcome<TEvent> | null> {
    const firstId = derivedEventId(actor, idempotencyKey, streamName, 0);
    // Store time, not the command clock: recordedAt is when the store wrote the event.
    const oldest = Date.now() - IDEMPOTENT_RETRY_WINDOW_MS;
    for (let from = upTo; from >= 0; ) {
      const page = await this.eventStore.readStream(streamName, { direction: 'backwards', fromVersion: from, maxCount: retryLookbackPage });
      for (const event of page) {
        if (event.id.toLowerCase() === firstId) return this.storedOutcome<TEvent>(streamName, event, actor, idempotencyKey);
        if (Date.parse(event.recordedAt) < oldest) return null;
      }
      const last = page.at(-1);
      if (!last || page.length < retryLookbackPage) return null;
      from = last.version - 1;
    }
    return null;
  }

  private async storedOutcome<TEvent extends DomainEvent>(
    streamName: string,
    first: RecordedEvent,
    actor: string,
    idempotencyKey: string,
  ): Promise<CommandOutcome<TEvent>> {
    const after = await this.eventStore.readStream(streamName, { fromVersion: first.version });
    const mine: RecordedEvent[] = [];
    for (const [index, event] of after.entries()) {
      if (event.id.toLowerCase() !== derivedEventId(actor, idempotencyKey, streamName, index)) break;
      mine.push(event);
    }
    const last = mine.at(-1) ?? first;
    return {
      streamName,
      version: last.version,
      events: mine.map((event) => ({ type: event.type, data: event.data }) as TEvent),
      checkpoint: last.checkpoint,
    };
  }

  private remember(streamName: string, folded: FoldedStream): void {
    const current = this.folded.get(streamName);
    // Concurrent commands may finish their reads out of order: never step back to an older fold.
    if (current && current.evolve === folded.evolve && current.version > folded.version) return;
    // A fold larger than the whole capacity is simply not kept.
    this.folded.set(streamName, folded);
  }
}
