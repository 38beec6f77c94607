import type {
  AllStreamResolvedEvent,
  AppendResult as KurrentAppendResult,
  AppendToStreamOptions,
  EventData,
  ReadAllOptions,
  ReadStreamOptions as KurrentReadStreamOptions,
  ResolvedEvent,
  SetStreamMetadataOptions,
  StreamMetadata,
  SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';

/** A live `$all` subscription: iterate it; `unsubscribe` ends the iteration. */
export interface KurrentDbAllSubscription extends AsyncIterable<AllStreamResolvedEvent> {
  unsubscribe(): Promise<void>;
}

/**
 * The part of KurrentDBClient the adapter uses. The real client satisfies it structurally; unit
 * tests pass a hand-written fake, so nothing here may need a server to construct.
 */
export interface KurrentDbClientLike {
  appendToStream(streamName: string, events: EventData[], options?: AppendToStreamOptions): Promise<KurrentAppendResult>;
  readStream(streamName: string, options?: KurrentReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): KurrentDbAllSubscription;
  setStreamMetadata(streamName: string, metadata: StreamMetadata, options?: SetStreamMetadataOptions): Promise<KurrentAppendResult>;
  dispose(): Promise<void>;
}
