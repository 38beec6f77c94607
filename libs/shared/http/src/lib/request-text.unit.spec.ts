import fc from 'fast-check';
import { findUnsafeText, isUnsafeText, unsafeTextError } from './request-text';
import { nestsDeeperThan } from './json-body';

describe('text PostgreSQL cannot store', () => {
  it.each(['\u0000', 'a\u0000b', '\ud800', 'a\ud83d', '\ude00b', '\ude00\ud83d'])('finds %j unsafe', (text) => {
    expect(isUnsafeText(text)).toBe(true);
  });

  it('finds well-formed text safe, emoji (paired surrogates) and Vietnamese included', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => expect(isUnsafeText(text)).toBe(text.includes('\u0000'))));
    expect(isUnsafeText('Xã Nâm N’Jang 😀')).toBe(false);
  });

  it('finds any string with a lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.nat(), (text, code, at) => {
        const cut = at % (text.length + 1);
        const lone = String.fromCharCode(code);
        // Keep the inserted half unpaired whatever stands beside it.
        const left = text.slice(0, cut).replace(/[\ud800-\udbff]$/, 'x');
        const right = text.slice(cut).replace(/^[\udc00-\udfff]/, 'x');
        expect(isUnsafeText(left + lone + right)).toBe(true);
      }),
    );
  });

  it('names the first offending value or property name by its dotted path', () => {
    expect(findUnsafeText({ a: 'ok', b: [{ c: 'x' }, { c: 'bad\u0000' }] })).toBe('b.1.c');
    expect(findUnsafeText({ 'k\ud800': 1 }, 'body')).toBe('body.k\ud800');
    expect(findUnsafeText('\ud800', 'decision')).toBe('decision');
    expect(findUnsafeText({ a: 1, b: true, c: null, d: ['ok'] })).toBeNull();
    expect(findUnsafeText({ file: Buffer.from([0]) })).toBeNull();
  });

  it('walks 100,000 levels without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(findUnsafeText(deep)).toBe(`${'0.'.repeat(100_000)}`.slice(0, -1));
  });

  it('answers 400 REQUEST.INVALID_TEXT with the field made printable', () => {
    const error = unsafeTextError('name\u0000.x\ud800');
    expect({ code: error.code, category: error.category, field: error.field }).toEqual({ code: 'REQUEST.INVALID_TEXT', category: 'validation', field: 'name\ufffd.x\ufffd' });
  });
});

describe('nesting depth of a parsed JSON body', () => {
  const nested = (depth: number, open: (inner: unknown) => unknown): unknown => {
    let value: unknown = 1;
    for (let level = 0; level < depth; level++) value = open(value);
    return value;
  };

  it.each([
    ['arrays', (inner: unknown) => [inner]],
    ['objects', (inner: unknown) => ({ a: inner })],
  ])('counts %s: 64 levels pass, 65 do not, 1,000,000 are measured without recursion', (_, open) => {
    expect(nestsDeeperThan(nested(64, open), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65, open), 64)).toBe(true);
    expect(nestsDeeperThan(nested(1_000_000, open), 64)).toBe(true);
  });

  it('agrees with a recursive count on arbitrary JSON', () => {
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object' ? 1 + Math.max(0, ...(Array.isArray(value) ? value : Object.values(value)).map(depthOf)) : 0;
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => expect(nestsDeeperThan(value, max)).toBe(depthOf(value) > max)));
  });
});
