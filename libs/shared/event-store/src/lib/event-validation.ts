import { InvalidEventError } from './event-store.errors';
import type { ExpectedVersion, NewEvent } from './event-store.port';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const pascalCasePattern = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Checks what every adapter requires of an append before any I/O, so a malformed event is a
 * validation error naming the field rather than a driver error.
 */
export function validateAppend(streamName: string, events: readonly NewEvent[], expectedVersion: ExpectedVersion): void {
  if (streamName.length === 0) throw new InvalidEventError('Stream name must not be empty', 'streamName');
  if (events.length === 0) throw new InvalidEventError('An append needs at least one event', 'events');
  if (typeof expectedVersion === 'number' && (!Number.isInteger(expectedVersion) || expectedVersion < 0)) {
    throw new InvalidEventError(
      `expectedVersion must be a non-negative integer or no_stream/exists/any, got ${expectedVersion}`,
      'expectedVersion',
    );
  }
  const seen = new Set<string>();
  events.forEach((event, index) => {
    if (!uuidPattern.test(event.id)) throw new InvalidEventError(`Event id is not a uuid: "${event.id}"`, `events.${index}.id`);
    const id = event.id.toLowerCase();
    if (seen.has(id)) throw new InvalidEventError(`Event id appears twice in one append: ${event.id}`, `events.${index}.id`);
    seen.add(id);
    if (!pascalCasePattern.test(event.type)) {
      throw new InvalidEventError(`Event type must be PascalCase, got "${event.type}"`, `events.${index}.type`);
    }
    if (!Number.isInteger(event.metadata.schemaVersion) || event.metadata.schemaVersion < 1) {
      throw new InvalidEventError('metadata.schemaVersion must be a positive integer', `events.${index}.metadata.schemaVersion`);
    }
  });
}
