import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@tieuchi/shared/config';
import {
  createPgliteEventStore,
  isConcurrencyError,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
} from '@tieuchi/shared/event-store';
import type { EventMetadata } from '@tieuchi/shared/kernel';

/**
 * `npm start` at this stage of the project: the embedded event store (PGlite, file-backed under
 * DATA_DIR) with no server, showing an append with expected versions and the two ways to read.
 * Re-running continues the same stream from the version it finds, as a command handler would.
 */

const streamName = 'assessment-daknong-2019-xa-nam-njang';
const actor = 'Nguyễn Thị Hằng';

async function main(): Promise<void> {
  const { dataDir } = loadConfig();
  const directory = resolve(dataDir);
  // PGlite creates the database directory but not its missing parents.
  mkdirSync(directory, { recursive: true });
  const store = await createPgliteEventStore({ dataDir: directory });
  try {
    console.log(`tieuchi — embedded event store (PGlite) in ${directory}\n`);
    await appendForThisRun(store);
    await showStream(store);
    await showGlobalFeed(store);
  } finally {
    await store.close();
  }
}

async function appendForThisRun(store: EventStore): Promise<void> {
  const [last] = await store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
  const correlationId = randomUUID();
  if (!last) {
    const result = await store.appendToStream(
      streamName,
      [
        event('AssessmentStarted', { unit: "Xã Nâm N'Jang", district: 'Huyện Đắk Song', province: 'Tỉnh Đắk Nông', period: 'daknong-2019' }, correlationId),
        event('CriterionScored', { criterion: '1.1', score: 2, note: 'Cổng thông tin điện tử cấp xã hoạt động' }, correlationId),
        event('CriterionScored', { criterion: '2.3', score: 1.5, note: 'Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 đạt 42 %' }, correlationId),
      ],
      { expectedVersion: 'no_stream' },
    );
    console.log(`First run: started the assessment (expected version no_stream → now at ${result.nextExpectedVersion}).`);
  } else {
    const revision = last.version + 1;
    const result = await store.appendToStream(
      streamName,
      [event('CriterionScoreRevised', { criterion: '1.1', score: 2.5, reason: `Bổ sung minh chứng lần ${revision}` }, correlationId)],
      { expectedVersion: last.version },
    );
    console.log(`Stream exists at version ${last.version}: appended a revision (expected version ${last.version} → now at ${result.nextExpectedVersion}).`);
  }
  await showStaleAppendRejected(store);
}

// The point of expected versions: a writer that decided on an old state is refused, not merged.
async function showStaleAppendRejected(store: EventStore): Promise<void> {
  const stale: ExpectedVersion = 0;
  try {
    await store.appendToStream(streamName, [event('CriterionScored', { criterion: '9.9', score: 0 }, randomUUID())], { expectedVersion: stale });
    console.log('Unexpected: a stale append was accepted.');
  } catch (error) {
    if (!isConcurrencyError(error)) throw error;
    console.log(`A stale writer (expected version ${stale}) is refused: ${error.message}`);
  }
}

async function showStream(store: EventStore): Promise<void> {
  const events = await store.readStream(streamName);
  console.log(`\nStream "${streamName}" (${events.length} events):`);
  for (const recorded of events) console.log(`  v${recorded.version}  ${describe(recorded)}`);
}

const feedLinesShown = 30;

async function showGlobalFeed(store: EventStore): Promise<void> {
  const feed: RecordedEvent[] = [];
  let checkpoint: string | null = null;
  for (;;) {
    const batch = await store.readAll(checkpoint, 500);
    if (batch.events.length === 0) break;
    feed.push(...batch.events);
    checkpoint = batch.checkpoint;
  }
  console.log(`\nGlobal feed ($all) from the start (${feed.length} events):`);
  const hidden = Math.max(0, feed.length - feedLinesShown);
  if (hidden > 0) console.log(`  … ${hidden} earlier events not shown`);
  for (const recorded of feed.slice(hidden)) {
    console.log(`  ${recorded.checkpoint.padEnd(10)} ${recorded.streamName}@v${recorded.version}  ${describe(recorded)}`);
  }
}

function describe(recorded: RecordedEvent): string {
  return `${recorded.type.padEnd(21)} ${JSON.stringify(recorded.data)}  (${recorded.metadata.actor}, ${recorded.recordedAt})`;
}

function event(type: string, data: Record<string, unknown>, correlationId: string): NewEvent {
  const metadata: EventMetadata = { actor, correlationId, causationId: correlationId, occurredAt: new Date().toISOString(), schemaVersion: 1 };
  return { id: randomUUID(), type, data, metadata };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
