import type { EventMetadata } from '@tieuchi/shared/kernel';
import { UpcasterRegistrationError, UpcasterRegistry } from './upcaster-registry';

const metadata = (schemaVersion: number): EventMetadata => ({
  actor: 'user:1',
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2020-01-10T00:00:00.000Z',
  schemaVersion,
});

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry()
    .register<{ points: string }, { points: number }>({
      type: 'SelfScoreRecorded',
      fromSchemaVersion: 1,
      upcast: (data) => ({ points: Number(data.points) }),
    })
    .register<{ points: number }, { score: number; note: string }>({
      type: 'SelfScoreRecorded',
      fromSchemaVersion: 2,
      upcast: (data) => ({ score: data.points, note: '' }),
    });

  it('chains v1 → v2 → v3 and records the version reached', () => {
    const event = { type: 'SelfScoreRecorded', data: { points: '21.5' }, metadata: metadata(1), checkpoint: '1:1' };
    expect(registry.upcast(event)).toEqual({ ...event, data: { score: 21.5, note: '' }, metadata: metadata(3) });
  });

  it('starts the chain at the stored version', () => {
    const event = { type: 'SelfScoreRecorded', data: { points: 40.23 }, metadata: metadata(2) };
    expect(registry.upcast(event)).toEqual({ ...event, data: { score: 40.23, note: '' }, metadata: metadata(3) });
  });

  it('returns current and unknown events untouched', () => {
    const current = { type: 'SelfScoreRecorded', data: { score: 1, note: 'x' }, metadata: metadata(3) };
    const other = { type: 'UnitRenamed', data: { points: '1' }, metadata: metadata(1) };
    expect(registry.upcast(current)).toBe(current);
    expect(registry.upcast(other)).toBe(other);
  });

  it('refuses a second upcaster for the same step and non-positive versions', () => {
    expect(() => registry.register({ type: 'SelfScoreRecorded', fromSchemaVersion: 1, upcast: (d) => d })).toThrow(UpcasterRegistrationError);
    expect(() => new UpcasterRegistry().register({ type: 'X', fromSchemaVersion: 0, upcast: (d) => d })).toThrow(UpcasterRegistrationError);
    expect(registry.size).toBe(2);
  });
});
