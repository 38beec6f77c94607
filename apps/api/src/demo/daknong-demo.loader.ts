import { type AccountCommands, provisionAccounts } from '@tieuchi/accounts/feature';
import { buildDaknongHistory, DAKNONG_PEOPLE, loadDaknongDemoInput } from '@tieuchi/demo/daknong';
import type { EventStore, NewEvent } from '@tieuchi/shared/event-store';
import { v5 as uuidV5 } from 'uuid';

// Fixed namespace: the demo's event ids are the same on every machine, so loading twice is a no-op.
const demoNamespace = '0b7d3c1e-8a52-4f0e-9d6b-2f1c0a9e7d41';

export interface DemoLoadResult {
  readonly events: number;
  readonly appends: number;
}

/**
 * Creates the demo's people (DAKNONG_PEOPLE: admin@daknong, reviewer.1@daknong, editor.660@daknong,
 * …) as active accounts through the accounts commands, as the system; those already there are
 * kept. Answers how many were created.
 */
export function provisionDaknongPeople(commands: AccountCommands): Promise<number> {
  return provisionAccounts(commands, DAKNONG_PEOPLE, 'Đắk Nông demo', { actor: 'system:demo', correlationId: 'daknong-demo-people' });
}

/**
 * Appends the Đắk Nông 2018 and 2019 history (every command played through the real deciders by
 * @tieuchi/demo/daknong) to the event store, in its global order, so projections see it exactly
 * as if users had worked through the API. Idempotent: event ids are derived from the fixture's.
 */
export async function loadDaknongDemo(eventStore: EventStore, onProgress?: (done: number, total: number) => void): Promise<DemoLoadResult> {
  const history = buildDaknongHistory(loadDaknongDemoInput());
  const events = history.events;
  let appends = 0;
  let index = 0;
  while (index < events.length) {
    const first = events[index];
    if (!first) break;
    // Consecutive events of one stream come from one command: append them together.
    const batch: NewEvent[] = [];
    while (index < events.length && events[index]?.streamId === first.streamId) {
      const recorded = events[index];
      if (!recorded) break;
      batch.push({ id: uuidV5(recorded.eventId, demoNamespace), type: recorded.event.type, data: recorded.event.data, metadata: recorded.metadata });
      index += 1;
    }
    await eventStore.appendToStream(first.streamId, batch, {
      expectedVersion: first.streamPosition === 0 ? 'no_stream' : first.streamPosition - 1,
    });
    appends += 1;
    onProgress?.(index, events.length);
  }
  return { events: events.length, appends };
}
