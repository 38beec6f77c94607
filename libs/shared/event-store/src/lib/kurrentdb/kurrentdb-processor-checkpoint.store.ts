import { randomUUID } from 'node:crypto';
import { BACKWARDS, END, NO_STREAM, jsonEvent, type AppendStreamState } from '@kurrent/kurrentdb-client';
import type { KurrentDbClientLike } from './kurrentdb-client.port';
import { decodeKurrentDbCheckpoint, encodeKurrentDbCheckpoint, type KurrentDbPosition } from './kurrentdb-checkpoint';
import { toPortError } from './kurrentdb-errors';
import { fromKurrentDbExpectedState, isStreamNotFoundError, refusedAppendError } from './kurrentdb-stream-state';

export const CHECKPOINT_STORED_EVENT_TYPE = 'CheckpointStored';

interface CheckpointStoredData {
  readonly checkpoint: string;
}

/**
 * Keeps a subscription's checkpoint as the last event of its own stream. Each write expects the
 * revision this instance last saw, so a second processor running under the same id fails on its
 * next write instead of silently interleaving with the first.
 */
export class KurrentDbProcessorCheckpointStore {
  private revision: AppendStreamState = NO_STREAM;

  constructor(
    private readonly client: KurrentDbClientLike,
    readonly streamName: string,
  ) {}

  async load(): Promise<KurrentDbPosition | null> {
    try {
      for await (const resolved of this.client.readStream(this.streamName, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        const record = resolved.event;
        if (!record) continue;
        this.revision = record.revision;
        const data = record.data as Partial<CheckpointStoredData> | undefined;
        if (typeof data?.checkpoint !== 'string') return null;
        return decodeKurrentDbCheckpoint(data.checkpoint);
      }
    } catch (error) {
      if (isStreamNotFoundError(error)) return null;
      throw toPortError(error, `a read of ${this.streamName}`, this.streamName);
    }
    return null;
  }

  async save(position: KurrentDbPosition): Promise<void> {
    const isFirst = this.revision === NO_STREAM;
    const data: CheckpointStoredData = { checkpoint: encodeKurrentDbCheckpoint(position) };
    let result;
    try {
      result = await this.client.appendToStream(
        this.streamName,
        [jsonEvent({ id: randomUUID(), type: CHECKPOINT_STORED_EVENT_TYPE, data: { ...data } })],
        { streamState: this.revision },
      );
      // A client built with throwOnAppendFailure=false answers a conflict instead of throwing it.
      if (!result.success) throw await refusedAppendError(this.client, this.streamName, fromKurrentDbExpectedState(this.revision), result.nextExpectedRevision);
    } catch (error) {
      throw toPortError(error, `an append to ${this.streamName}`, this.streamName);
    }
    this.revision = result.nextExpectedRevision;
    // Only the newest checkpoint matters; $maxCount lets scavenging drop the rest.
    if (isFirst) {
      try {
        await this.client.setStreamMetadata(this.streamName, { maxCount: 1 });
      } catch (error) {
        throw toPortError(error, `setting the metadata of ${this.streamName}`, this.streamName);
      }
    }
  }
}
