import { codeTokens, countLines, libraryOf } from './comment-ratio';

describe('comment ratio', () => {
  it('counts a line holding only comment text as comment, and one with code as code', () => {
    const source = ['/**', ' * Why it is so.', ' */', 'const a = 1; // trailing', '', '// alone', 'const b = 2;'].join('\n');
    expect(countLines(source)).toEqual({ comment: 4, code: 2 });
  });

  it('takes `//` inside a template literal, across lines and substitutions, for code', () => {
    const source = ['const url = `http://${host}', '// not a comment', '${path}`;', '// a comment'].join('\n');
    expect(countLines(source)).toEqual({ comment: 1, code: 3 });
  });

  it('takes `//` inside a regular expression for code, and a division for a division', () => {
    expect(countLines('const slashes = /\\/\\//g;')).toEqual({ comment: 0, code: 1 });
    expect(codeTokens('const half = total / 2; // two')).toEqual(['const', 'half', '=', 'total', '/', '2', ';']);
  });

  it('gives the same code tokens when only comments and layout change', () => {
    const before = 'function f(a: number) {\n  // was: a + 1\n  return a + 2; /* note */\n}';
    const after = '/** Adds two. */\nfunction f(a: number) { return a + 2; }';
    expect(codeTokens(after)).toEqual(codeTokens(before));
  });

  it('tells apart any change of code, strings and template text included', () => {
    expect(codeTokens('f(1);')).not.toEqual(codeTokens('f(2);'));
    expect(codeTokens("log('a // b');")).not.toEqual(codeTokens("log('a // c');"));
    expect(codeTokens('const s = `x ${y} // z`;')).not.toEqual(codeTokens('const s = `x ${y} // w`;'));
    expect(codeTokens('if (a) b();')).not.toEqual(codeTokens('if (a) { b(); }'));
  });

  it('groups sources by context, shared library or app', () => {
    expect(libraryOf('libs/assessment/domain/src/lib/assessment.facts.ts')).toBe('libs/assessment');
    expect(libraryOf('libs/shared/event-store/src/lib/sql/sql-event-store.ts')).toBe('libs/shared/event-store');
    expect(libraryOf('apps/api/src/main.ts')).toBe('apps/api');
  });
});
