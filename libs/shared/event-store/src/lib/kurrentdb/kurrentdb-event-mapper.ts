import { jsonEvent, type AllStreamResolvedEvent, type EventData, type JSONType, type ResolvedEvent } from '@kurrent/kurrentdb-client';
import { DomainError, type EventMetadata } from '@tieuchi/shared/kernel';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { encodeKurrentDbCheckpoint, isKnownKurrentDbPosition, type KurrentDbPosition } from './kurrentdb-checkpoint';
import { toVersionNumber } from './kurrentdb-stream-state';

/** Metadata as stored next to each event in KurrentDB (JSON, the event's `metadata` bytes). */
export interface KurrentDbStoredMetadata {
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly occurredAt: string;
  readonly schemaVersion: number;
  /** KurrentDB's own projections ($by_correlation_id) read these two names. */
  readonly $correlationId: string;
  readonly $causationId: string;
}

type StoredRecord = NonNullable<ResolvedEvent['event']> | NonNullable<AllStreamResolvedEvent['event']>;

export function toKurrentDbEventData(event: NewEvent): EventData {
  const metadata: KurrentDbStoredMetadata = {
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    occurredAt: event.metadata.occurredAt,
    schemaVersion: event.metadata.schemaVersion,
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
  };
  // The id is ours so that KurrentDB's own idempotence recognises a retried append.
  return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: { ...metadata } });
}

/** True for events the adapter wrote for itself or the server wrote for its own use. */
export function isHiddenKurrentDbEvent(record: StoredRecord, hiddenStreamPrefixes: readonly string[]): boolean {
  return (
    record.type.startsWith('$') ||
    record.streamId.startsWith('$') ||
    hiddenStreamPrefixes.some((prefix) => record.streamId.startsWith(prefix))
  );
}

function text(source: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * $all in a shared KurrentDB can hold events other writers stored without our metadata; such an
 * event still reads (with fields derived from the record) so a projection can ignore it by type
 * instead of crashing on it.
 */
export function toEventMetadata(raw: unknown, record: Pick<StoredRecord, 'id' | 'created'>): EventMetadata {
  const source: Readonly<Record<string, unknown>> =
    typeof raw === 'object' && raw !== null && !ArrayBuffer.isView(raw) && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : {};
  const schemaVersion = source['schemaVersion'];
  return {
    actor: text(source, 'actor') ?? 'unknown',
    correlationId: text(source, 'correlationId') ?? text(source, '$correlationId') ?? record.id,
    causationId: text(source, 'causationId') ?? text(source, '$causationId') ?? record.id,
    occurredAt: text(source, 'occurredAt') ?? record.created.toISOString(),
    schemaVersion: typeof schemaVersion === 'number' && Number.isInteger(schemaVersion) ? schemaVersion : 1,
  };
}

/** The `$all` position of a resolved event, when the server reported one. */
export function kurrentDbPositionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): KurrentDbPosition | undefined {
  const record = resolved.event ?? resolved.link;
  if (record && isKnownKurrentDbPosition(record.position)) return record.position;
  // Servers before 22.6 give stream reads no $all position; the commit position alone still orders them.
  if (resolved.commitPosition !== undefined && resolved.commitPosition >= 0n) {
    return { commit: resolved.commitPosition, prepare: resolved.commitPosition };
  }
  return undefined;
}

/** Maps a stored event to the port's shape; null for hidden events and unresolved links. */
export function fromKurrentDbResolvedEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
  hiddenStreamPrefixes: readonly string[],
): RecordedEvent | null {
  const record = resolved.event;
  if (!record || isHiddenKurrentDbEvent(record, hiddenStreamPrefixes)) return null;
  const position = kurrentDbPositionOf(resolved);
  if (!position) {
    throw new DomainError('EVENT_STORE.POSITION_UNAVAILABLE', 'internal', `KurrentDB reported no $all position for event ${record.id} in ${record.streamId}`);
  }
  return {
    id: record.id,
    streamName: record.streamId,
    version: toVersionNumber(record.revision),
    type: record.type,
    data: record.data,
    metadata: toEventMetadata(record.metadata, record),
    recordedAt: record.created.toISOString(),
    checkpoint: encodeKurrentDbCheckpoint(position),
  };
}
