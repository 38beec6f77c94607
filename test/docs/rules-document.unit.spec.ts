import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * docs/rules.{vi,en}.md name, for every scoring and ranking rule, the tests that hold it. This
 * keeps the documents and the tests from drifting apart: every named test exists under that exact
 * name, quotes its rule's English text, and both languages name the same tests; every test that
 * claims a rule (a name starting `R-…:`) is named in the documents.
 */
const ROOT = join(__dirname, '..', '..');
const DOCUMENTS = { en: 'docs/rules.en.md', vi: 'docs/rules.vi.md' } as const;
const SOURCE_ROOTS = ['apps', 'libs', 'test', 'tools'];

interface TestReference {
  readonly rule: string;
  readonly file: string;
  readonly name: string;
}

interface RulesDocument {
  /** Rule code → its text, test lines left out, whitespace collapsed, lower case. */
  readonly rules: ReadonlyMap<string, string>;
  readonly tests: readonly TestReference[];
}

function readRulesDocument(path: string): RulesDocument {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const rules = new Map<string, string>();
  const tests: TestReference[] = [];
  for (const section of text.split(/^### /m).slice(1)) {
    const rule = /^(R-[A-Z0-9-]+)\b/.exec(section)?.[1];
    if (!rule) throw new Error(`${path}: a section without a rule code: ${section.slice(0, 60)}`);
    const prose: string[] = [];
    for (const line of section.split('\n')) {
      const reference = /^- (?:Test|Kiểm thử): `([^`]+)` › `([^`]+)`$/.exec(line);
      if (reference) tests.push({ rule, file: reference[1]!, name: reference[2]! });
      else prose.push(line);
    }
    rules.set(rule, normalise(prose.join(' ')));
  }
  return { rules, tests };
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').toLowerCase();

/** A test file's text with the escapes of single-quoted literals undone, as test names read. */
const sourceOf = (file: string) => readFileSync(join(ROOT, file), 'utf8').replace(/\\'/g, "'");

function specFiles(): string[] {
  return SOURCE_ROOTS.flatMap((root) =>
    readdirSync(join(ROOT, root), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.spec.ts') && !path.split('/').includes('node_modules'))
      .map((path) => `${root}/${path}`),
  );
}

const en = readRulesDocument(DOCUMENTS.en);
const vi = readRulesDocument(DOCUMENTS.vi);

describe('the rules documents', () => {
  it('give every rule at least one test, in both languages, naming the same tests', () => {
    expect(en.rules.size).toBeGreaterThan(15);
    for (const rule of en.rules.keys()) expect({ rule, tests: en.tests.filter((t) => t.rule === rule).length > 0 }).toEqual({ rule, tests: true });
    expect([...vi.rules.keys()]).toEqual([...en.rules.keys()]);
    expect(vi.tests).toEqual(en.tests);
  });

  it.each(en.tests.map((test) => [test.rule, test.name, test] as const))('%s: names a test that exists and quotes its rule: %s', (_rule, _name, test) => {
    expect(existsSync(join(ROOT, test.file))).toBe(true);
    const source = sourceOf(test.file);
    // The name as a test's title, in a test (not a describe, not skipped).
    const at = source.indexOf(`'${test.name}'`);
    expect({ file: test.file, name: test.name, found: at >= 0 }).toEqual({ file: test.file, name: test.name, found: true });
    const before = source.slice(Math.max(0, at - 200), at);
    expect(before).toMatch(/(?:\bit|\btest)(?:\.each\([\s\S]*\))?\(\s*$/);
    expect(before).not.toMatch(/\b(?:it|test)\.(?:skip|todo)\b|\bxit\(\s*$/);
    // "Quotes the rule": the name starts with the rule's code and quotes words of that rule's text.
    expect(test.name.startsWith(`${test.rule}: `)).toBe(true);
    const quotes = [...test.name.matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect({ rule: test.rule, quote, quoted: en.rules.get(test.rule)!.includes(normalise(quote)) }).toEqual({ rule: test.rule, quote, quoted: true });
  });

  it('name every test that claims a rule', () => {
    const named = new Set(en.tests.map((test) => `${test.file}\u0000${test.name}`));
    const claims = specFiles().flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:\bit|\btest)(?:\.each\([\s\S]*?\))?\(\s*'(R-[A-Z0-9-]+: (?:[^'\\]|\\.)*)'/g)].map((match) => ({
        file,
        name: match[1]!.replace(/\\'/g, "'"),
      })),
    );
    expect(claims.length).toBeGreaterThanOrEqual(en.tests.length);
    expect(claims.filter((claim) => !named.has(`${claim.file}\u0000${claim.name}`))).toEqual([]);
  });
});
