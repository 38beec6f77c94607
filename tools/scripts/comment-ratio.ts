/**
 * Comment lines against code lines per library, read with the TypeScript scanner:
 *
 *   npm run -s comments -- [--rev main]              production sources, as of a revision or the work tree
 *   npm run -s comments -- --comment-only-since main  exit 1 unless every changed .ts file kept its tokens
 *
 * A line counts as comment when it holds comment text and no code; a comment after code is code.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import ts from 'typescript';

const K = ts.SyntaxKind;

// After these a `/` divides; anywhere else it starts a regular expression.
const ENDS_EXPRESSION = new Set<ts.SyntaxKind>([
  K.Identifier, K.PrivateIdentifier, K.NumericLiteral, K.BigIntLiteral, K.StringLiteral,
  K.NoSubstitutionTemplateLiteral, K.TemplateTail, K.RegularExpressionLiteral, K.CloseParenToken,
  K.CloseBracketToken, K.CloseBraceToken, K.ThisKeyword, K.SuperKeyword, K.TrueKeyword, K.FalseKeyword,
  K.NullKeyword, K.PlusPlusToken, K.MinusMinusToken,
]);

export interface ScannedToken {
  readonly kind: ts.SyntaxKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Every token and comment of a source, whitespace left out. The bare scanner does not know a
 * template's `}` from a block's, nor a regular expression from a division: both are rescanned
 * here, so `//` inside a template or a regex is never taken for a comment.
 */
export function scanSource(text: string): ScannedToken[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const braces: ('block' | 'template')[] = [];
  const tokens: ScannedToken[] = [];
  let previous: ts.SyntaxKind | undefined;
  for (let kind = scanner.scan(); kind !== K.EndOfFileToken; kind = scanner.scan()) {
    if (kind === K.WhitespaceTrivia || kind === K.NewLineTrivia) continue;
    if (kind === K.OpenBraceToken) braces.push('block');
    else if (kind === K.TemplateHead) braces.push('template');
    else if (kind === K.CloseBraceToken) {
      if (braces.pop() === 'template') {
        kind = scanner.reScanTemplateToken(false);
        if (kind === K.TemplateMiddle) braces.push('template');
      }
    } else if ((kind === K.SlashToken || kind === K.SlashEqualsToken) && !dividesAfter(previous)) {
      kind = scanner.reScanSlashToken();
    }
    tokens.push({ kind, text: scanner.getTokenText(), start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
    if (!isComment(kind)) previous = kind;
  }
  return tokens;
}

function dividesAfter(previous: ts.SyntaxKind | undefined): boolean {
  if (previous === undefined) return false;
  if (ENDS_EXPRESSION.has(previous)) return true;
  const keyword = previous >= K.FirstKeyword && previous <= K.LastKeyword;
  return keyword && previous !== K.ReturnKeyword && previous !== K.TypeOfKeyword;
}

function isComment(kind: ts.SyntaxKind): boolean {
  return kind === K.SingleLineCommentTrivia || kind === K.MultiLineCommentTrivia;
}

/** The code of a source as the compiler reads it: its tokens, comments left out. */
export function codeTokens(text: string): string[] {
  return scanSource(text).filter((token) => !isComment(token.kind)).map((token) => token.text);
}

export interface LineCount {
  readonly comment: number;
  readonly code: number;
}

export function countLines(text: string): LineCount {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineOf = (position: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const comment = new Set<number>();
  const code = new Set<number>();
  for (const token of scanSource(text)) {
    const lines = isComment(token.kind) ? comment : code;
    for (let line = lineOf(token.start); line <= lineOf(Math.max(token.start, token.end - 1)); line++) lines.add(line);
  }
  return { comment: [...comment].filter((line) => !code.has(line)).length, code: code.size };
}

/** Where a production source belongs: `libs/<context>`, `libs/shared/<lib>` or `apps/<app>`. */
export function libraryOf(path: string): string {
  const parts = path.split('/');
  return parts[0] === 'libs' && parts[1] === 'shared' ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
}

const PRODUCTION_SOURCE = /^(libs\/.+|apps\/(api|worker))\/src\/.+(?<!\.spec)\.ts$/;

function git(...args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
}

function productionFiles(rev: string | undefined): string[] {
  const listing = rev ? git('ls-tree', '-r', '--name-only', rev) : git('ls-files');
  return listing.split('\n').filter((path) => PRODUCTION_SOURCE.test(path));
}

function printRatios(rev: string | undefined): void {
  const byLibrary = new Map<string, { files: number; comment: number; code: number }>();
  for (const path of productionFiles(rev)) {
    const count = countLines(rev ? git('show', `${rev}:${path}`) : readFileSync(path, 'utf8'));
    const total = byLibrary.get(libraryOf(path)) ?? { files: 0, comment: 0, code: 0 };
    byLibrary.set(libraryOf(path), { files: total.files + 1, comment: total.comment + count.comment, code: total.code + count.code });
  }
  const rows = [...byLibrary].sort(([a], [b]) => a.localeCompare(b));
  const sum = rows.reduce((all, [, row]) => ({ files: all.files + row.files, comment: all.comment + row.comment, code: all.code + row.code }), { files: 0, comment: 0, code: 0 });
  const line = (name: string, row: { files: number; comment: number; code: number }) =>
    `${name.padEnd(30)}${String(row.files).padStart(6)}${String(row.comment).padStart(9)}${String(row.code).padStart(8)}${`${((100 * row.comment) / (row.comment + row.code || 1)).toFixed(1)} %`.padStart(9)}`;
  console.log(`${'library'.padEnd(30)}${'files'.padStart(6)}${'comment'.padStart(9)}${'code'.padStart(8)}${'ratio'.padStart(9)}`);
  for (const [name, row] of rows) console.log(line(name, row));
  console.log(line('total', sum));
}

/** The changed .ts files whose code differs from `base`'s: empty when only comments and layout changed. */
export function codeChangedSince(base: string): string[] {
  const changed = git('diff', '--name-only', base, '--', '*.ts').split('\n').filter(Boolean);
  return changed.filter((path) => {
    const before = codeOrNull(() => git('show', `${base}:${path}`));
    const after = codeOrNull(() => readFileSync(path, 'utf8'));
    if (!before || !after) return true; // added or deleted
    return before.length !== after.length || before.some((token, index) => token !== after[index]);
  });
}

function codeOrNull(read: () => string): string[] | null {
  try {
    return codeTokens(read());
  } catch {
    return null;
  }
}

if (require.main === module) {
  const options = new Command()
    .option('--rev <rev>', 'measure the sources as of this revision instead of the work tree')
    .option('--comment-only-since <rev>', 'check that every .ts file changed since this revision changed only comments and layout')
    .parse()
    .opts<{ rev?: string; commentOnlySince?: string }>();
  if (options.commentOnlySince) {
    const changed = codeChangedSince(options.commentOnlySince);
    for (const path of changed) console.log(`code changed: ${path}`);
    console.log(changed.length === 0 ? 'only comments and layout changed' : `${changed.length} file(s) with code changes`);
    process.exitCode = changed.length === 0 ? 0 : 1;
  } else {
    printRatios(options.rev);
  }
}
