import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';

/** A path into a JSON body, e.g. `['answer', 'kind']` or `['changes', '0', 'rounding']`. */
export type BodyPath = readonly string[];

// Free-form objects: their inside is checked by the decider's JSON Schema, not by the DTO.
const freeFormFields = new Set(['definition', 'rule', 'minGroupShares']);

/** Every value in a valid body (objects, arrays and leaves alike) a test may replace. */
export function bodyPaths(body: unknown, prefix: BodyPath = []): BodyPath[] {
  const here = prefix.length > 0 ? [prefix] : [];
  const last = prefix.at(-1);
  if (last !== undefined && freeFormFields.has(last)) return here;
  if (Array.isArray(body)) return [...here, ...body.flatMap((item, index) => bodyPaths(item, [...prefix, String(index)]))];
  if (body !== null && typeof body === 'object') return [...here, ...Object.entries(body).flatMap(([key, value]) => bodyPaths(value, [...prefix, key]))];
  return here;
}

export function valueAt(body: unknown, path: BodyPath): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), body);
}

/** A deep copy of `body` with the value at `path` replaced. */
export function replaceAt(body: unknown, path: BodyPath, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(body)) return body.map((item, index) => (String(index) === head ? replaceAt(item, rest, value) : item));
  const record = (body ?? {}) as Record<string, unknown>;
  return { ...record, [head]: replaceAt(record[head], rest, value) };
}

/**
 * Values of another JSON type than `valid`: never null (optional fields accept it) and never a
 * number for a boolean or the reverse (a criterion's answer takes either).
 */
export function wronglyTyped(valid: unknown): fc.Arbitrary<unknown> {
  const text = fc.string({ maxLength: 20 });
  const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const object = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  const array = fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });
  if (typeof valid === 'string') return fc.oneof(number, fc.boolean(), object, array);
  if (typeof valid === 'number' || typeof valid === 'boolean') return fc.oneof(text, object, array);
  if (Array.isArray(valid)) return fc.oneof(text, number, fc.boolean(), object);
  return fc.oneof(text, number, fc.boolean(), array);
}

/** One value of each type `wronglyTyped` draws from: its deterministic side, so no run can miss a type. */
export function wronglyTypedExamples(valid: unknown): unknown[] {
  if (typeof valid === 'string') return [1, true, { x: 1 }, []];
  if (typeof valid === 'number' || typeof valid === 'boolean') return ['x', { x: 1 }, []];
  if (Array.isArray(valid)) return ['x', 1, true, { x: 1 }];
  return ['x', 1, true, []];
}

export interface FieldLimits {
  readonly maxLength?: number;
  readonly arrayMaxSize?: number;
}

/**
 * MaxLength and ArrayMaxSize declared on a DTO and on the classes of its nested objects, by
 * property name (the names are consistent across the DTOs: `reason` is a reason everywhere).
 */
export function declaredLimits(dto: Type, seen = new Set<Type>()): ReadonlyMap<string, FieldLimits> {
  const limits = new Map<string, FieldLimits>();
  if (seen.has(dto)) return limits;
  seen.add(dto);
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    const bound = meta.constraints?.[0];
    const current = limits.get(meta.propertyName) ?? {};
    if (meta.name === 'maxLength' && typeof bound === 'number') limits.set(meta.propertyName, { ...current, maxLength: bound });
    if (meta.name === 'arrayMaxSize' && typeof bound === 'number') limits.set(meta.propertyName, { ...current, arrayMaxSize: bound });
    const nested: unknown = Reflect.getMetadata('design:type', dto.prototype as object, meta.propertyName);
    if (typeof nested === 'function' && nested !== Array && nested !== Object && nested !== String && nested !== Number && nested !== Boolean) {
      for (const [name, limit] of declaredLimits(nested as Type, seen)) if (!limits.has(name)) limits.set(name, limit);
    }
  }
  return limits;
}

/** The property a path's value is declared by: `evidence` for `['evidence', '0', 'id']`. */
export function propertyOf(path: BodyPath): string {
  return [...path].reverse().find((key) => !/^\d+$/.test(key)) ?? '';
}

// Beyond every MaxLength (≤ 5000) and ArrayMaxSize (≤ 500) in the DTOs, for fields declared deeper than the metadata reaches.
const fallbackMaxLength = 5000;
const fallbackArrayMaxSize = 500;

/** A string longer than the field allows (by 1 up to 2000), of ASCII, Vietnamese or astral characters. */
export function oversizedString(limit: number | undefined): fc.Arbitrary<string> {
  return fc
    .record({ extra: fc.integer({ min: 1, max: 2000 }), char: fc.constantFrom('x', 'ệ', '😀', ' ') })
    .map(({ extra, char }) => char.repeat((limit ?? fallbackMaxLength) + extra));
}

export function oversizedArray(limit: number | undefined, sample: unknown): fc.Arbitrary<unknown[]> {
  return fc.integer({ min: 1, max: 500 }).map((extra) => Array.from({ length: (limit ?? fallbackArrayMaxSize) + extra }, () => sample));
}

/** Text that JSON.parse refuses (and that is not empty: an empty body is no body). */
export function malformedJson(): fc.Arbitrary<string> {
  const mutated = fc
    .record({ text: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), at: fc.nat(), junk: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'undefined', "'", 'NaN', '\u0000', '//', '/*') })
    .map(({ text, at, junk }) => {
      const cut = text.length === 0 ? 0 : at % text.length;
      return at % 2 === 0 ? text.slice(0, cut) + junk + text.slice(cut) : text.slice(0, cut);
    });
  const literal = fc.constantFrom("{'a': 1}", '{"a": 1,}', '{a: 1}', '[1, 2', '{"a": 01}', '{"a": undefined}', '{"a": NaN}', '{"a": "\u0001"}', '\uFEFF{"a": 1', 'nul', 'tru');
  return fc.oneof(mutated, literal).filter((text) => text.trim() !== '' && !parses(text));
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Path parameter values a client might send by mistake or on purpose. */
export function oddPathValue(): fc.Arbitrary<{ readonly value: string; readonly raw: boolean }> {
  const encoded = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.constantFrom('../', '../../etc/passwd', '..', '.', ' ', '\u0000', 'a\nb', '😀', 'Nâm N’Jang', 'DROP TABLE', "'; --", '<script>', '24728 ', ' 24728', '２４７２８'),
    fc.integer({ min: 65, max: 7000 }).map((length) => 'x'.repeat(length)),
    fc.integer({ min: 6, max: 3000 }).map((length) => '9'.repeat(length)),
  );
  const raw = fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2e%2e', '..%2F..', '%2F', '%C0%AF', '%FF', '..', '.');
  return fc.oneof(encoded.map((value) => ({ value, raw: false })), raw.map((value) => ({ value, raw: true })));
}

/** Query-string values: wrong types, arrays and nested objects (qs syntax), out-of-range numbers. */
export function oddQueryValue(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('-1', '0', '1.5', '1e400', 'NaN', 'Infinity', '9'.repeat(400), '', 'true', '[]', '{}', '%', '%zz', '😀', 'a'.repeat(5000)),
    fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
    fc.integer().map(String),
  );
}

/**
 * The ways a query parameter may be spelled: `name=v`, `name=v&name=w`, `name[]=v`, `name[k]=v`,
 * and the key the app sees (Express 5 parses queries simply: `name[]` is a key of its own).
 */
export function querySpelling(name: string, value: string, shape: number): { readonly query: string; readonly key: string } {
  switch (shape % 4) {
    case 0:
      return { query: `${name}=${value}`, key: name };
    case 1:
      return { query: `${name}=${value}&${name}=${value}`, key: name };
    case 2:
      return { query: `${name}[]=${value}`, key: `${name}[]` };
    default:
      return { query: `${name}[k]=${value}`, key: `${name}[k]` };
  }
}
