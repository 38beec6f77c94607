import type { EventMetadata } from '@tieuchi/shared/kernel';
import { InvalidEventError } from './event-store.errors';
import type { NewEvent } from './event-store.port';
import { validateAppend } from './event-validation';

const metadata: EventMetadata = { actor: 'a', correlationId: 'c', causationId: 'c', occurredAt: '2020-01-10T00:00:00.000Z', schemaVersion: 1 };
const valid: NewEvent = { id: '0b6a2a5e-8d0f-4f0e-9a57-2f1f7c1d9b10', type: 'AssessmentSubmitted', data: {}, metadata };

describe('validateAppend', () => {
  it('accepts a well-formed append', () => {
    expect(() => validateAppend('assessment-1', [valid], 0)).not.toThrow();
  });

  it.each([
    ['an empty stream name', '', [valid], 'any', 'streamName'],
    ['no events', 's', [], 'any', 'events'],
    ['a negative expected version', 's', [valid], -1, 'expectedVersion'],
    ['an id that is not a uuid', 's', [{ ...valid, id: 'event-1' }], 'any', 'events.0.id'],
    ['the same id twice', 's', [valid, { ...valid, id: valid.id.toUpperCase() }], 'any', 'events.1.id'],
    ['a type that is not PascalCase', 's', [{ ...valid, type: 'assessment_submitted' }], 'any', 'events.0.type'],
    ['schema version 0', 's', [{ ...valid, metadata: { ...metadata, schemaVersion: 0 } }], 'any', 'events.0.metadata.schemaVersion'],
  ] as const)('refuses %s, naming the field', (_what, stream, events, expectedVersion, field) => {
    let caught: unknown;
    try {
      validateAppend(stream, events, expectedVersion);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEventError);
    expect(caught).toMatchObject({ code: 'EVENT_STORE.INVALID_EVENT', category: 'validation', field });
  });
});
