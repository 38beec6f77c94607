import fc from 'fast-check';
import { canonicalJson } from './audit-chain';

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
