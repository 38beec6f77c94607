import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { type AuditEntryContent, canonicalJson, chainHash } from './audit-chain';

/** The first canonical form the trail was hashed with: every stored hash covers its output. */
function canonicalJsonAsFirstWritten(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJsonAsFirstWritten).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJsonAsFirstWritten(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('writes exactly what the trail was first hashed with, for any JSON value and fields left undefined', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { maxDepth: 4 },
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.integer(),
        fc.string({ unit: 'binary' }),
        fc.constant(undefined),
        fc.array(tie('any'), { maxLength: 5 }),
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('any'), { maxKeys: 6 }),
      ),
    })).any;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(canonicalJsonAsFirstWritten(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it('sorts keys at every level and leaves out undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: undefined, y: 'ý' }], c: null }, e: undefined })).toBe('{"a":{"c":null,"d":[1,{"y":"ý"}]},"b":1}');
  });
});

describe('chainHash', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const json = fc.jsonValue({ maxDepth: 3 });
  const content = fc.record({
    position: fc.nat(),
    checkpoint: text,
    eventId: fc.uuid(),
    stream: text,
    version: fc.nat(),
    type: text,
    actor: text,
    occurredAt: text,
    recordedAt: text,
    correlationId: text,
    causationId: text,
    summary: text,
    before: fc.dictionary(text, json, { maxKeys: 3 }),
    after: fc.dictionary(text, json, { maxKeys: 3 }),
    reason: fc.option(text),
  });

  it('is sha256 of the previous hash and the canonical JSON of exactly the content fields, as first written', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 64 }), content, fc.dictionary(fc.constantFrom('hash', 'previousHash', 'extra'), text), (previous, entry, extra) => {
        const expected = createHash('sha256').update(previous).update(canonicalJsonAsFirstWritten(entry)).digest('hex');
        expect(chainHash(previous, { ...extra, ...entry } as AuditEntryContent)).toBe(expected);
      }),
      { numRuns: 1_000 },
    );
  });
});
