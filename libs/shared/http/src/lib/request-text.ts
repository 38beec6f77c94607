import { DomainError } from '@tieuchi/shared/kernel';

// A NUL, or a UTF-16 surrogate that is not half of a pair: PostgreSQL stores neither in text or jsonb.
const unsafeCharacter = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unsafeCharacters = new RegExp(unsafeCharacter.source, 'g');

export function isUnsafeText(text: string): boolean {
  return unsafeCharacter.test(text);
}

/** The dotted path of the first string (value or property name) holding a NUL or a lone surrogate. */
export function findUnsafeText(value: unknown, path = ''): string | null {
  const pending: [unknown, string][] = [[value, path]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, at] = next;
    if (typeof node === 'string') {
      if (isUnsafeText(node)) return at;
    } else if (Array.isArray(node)) {
      for (let index = node.length - 1; index >= 0; index--) pending.push([node[index], join(at, String(index))]);
    } else if (isPlainRecord(node)) {
      const entries = Object.entries(node);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index] as [string, unknown];
        if (isUnsafeText(key)) return join(at, key);
        pending.push([child, join(at, key)]);
      }
    }
  }
  return null;
}

/** 400 REQUEST.INVALID_TEXT naming the field; the name itself is made printable for the answer. */
export function unsafeTextError(field: string): DomainError {
  const named = field.replace(unsafeCharacters, '\uFFFD');
  return new DomainError(
    'REQUEST.INVALID_TEXT',
    'validation',
    `${named || 'value'}: text must not contain NUL characters or unpaired UTF-16 surrogates.`,
    named,
    { errors: [{ field: named, messages: ['must not contain NUL characters or unpaired UTF-16 surrogates'] }] },
  );
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** Parsed JSON, query objects and multipart fields; never class instances such as uploaded files' Buffers. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
