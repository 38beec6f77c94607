import { columnLetter } from '@tieuchi/shared/documents';
import type { PastResultsEdition } from '@tieuchi/ranking/domain';

export type PastResultsField = 'unit' | 'year' | 'part' | 'score' | 'level' | 'decision_number' | 'decision_date';

const REQUIRED: readonly PastResultsField[] = ['unit', 'year', 'part', 'score', 'level', 'decision_number', 'decision_date'];

const HEADER_ALIASES: Readonly<Record<string, PastResultsField>> = {
  unit: 'unit',
  unit_code: 'unit',
  code: 'unit',
  'mã': 'unit',
  'mã đvhc': 'unit',
  'mã đơn vị': 'unit',
  year: 'year',
  'năm': 'year',
  part: 'part',
  'phần': 'part',
  score: 'score',
  'điểm': 'score',
  level: 'level',
  'mức': 'level',
  'xếp mức': 'level',
  decision_number: 'decision_number',
  decision: 'decision_number',
  'số quyết định': 'decision_number',
  decision_date: 'decision_date',
  'ngày quyết định': 'decision_date',
};

/** The parts as a decision's appendix heads them, to their codes in the framework. */
const PART_ALIASES: Readonly<Record<string, string>> = {
  'sẵn sàng': 'readiness',
  'điều kiện sẵn sàng': 'readiness',
  'kết quả': 'results',
  'kết quả ứng dụng': 'results',
};

export const MAX_PAST_RESULT_ROWS = 50_000;
const codePattern = /^[0-9]{2,5}$/;
const partPattern = /^[a-z][a-z_]{0,29}$/;

/** One data row read from the file; `row` as the spreadsheet numbers it (the header is row 1). */
export interface PastResultRow {
  readonly row: number;
  readonly unitCode: string;
  readonly year: number;
  readonly partCode: string;
  readonly score: number;
  readonly level: string | null;
  readonly decisionNumber: string;
  readonly decisionDate: string;
}

export interface PastResultsProblem {
  readonly row: number;
  readonly column: string;
  readonly field: PastResultsField;
  readonly code: string;
  readonly message: string;
}

export class PastResultsFileError extends Error {}

const normalize = (cell: string): string => cell.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

/** 2020-01-10 or 10/01/2020 (as Vietnamese decisions write it) to YYYY-MM-DD; null when it is no date. */
export function isoDateOf(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2]?.padStart(2, '0'), vn[1]?.padStart(2, '0')] : [];
  if (!year || !month || !day) return null;
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date ? null : date;
}

/**
 * Rows of text (header first) to result rows, and the problems of each cell taken alone and of
 * rows taken together (a unit twice for one year and part, two decisions for one year).
 */
export function pastResultsFromTable(table: readonly (readonly string[])[]): { rows: PastResultRow[]; problems: PastResultsProblem[]; columns: Readonly<Record<PastResultsField, string>> } {
  const [header, ...body] = table;
  if (!header || header.every((cell) => cell === '')) throw new PastResultsFileError('Tệp trống: dòng 1 phải là tiêu đề với các cột unit, year, part, score, level, decision_number, decision_date');
  const index = new Map<PastResultsField, number>();
  header.forEach((cell, position) => {
    const field = HEADER_ALIASES[normalize(cell)];
    if (field && !index.has(field)) index.set(field, position);
  });
  const missing = REQUIRED.filter((field) => !index.has(field));
  if (missing.length > 0) {
    throw new PastResultsFileError(`Dòng tiêu đề thiếu cột ${missing.join(', ')} (cần unit, year, part, score, level, decision_number, decision_date hoặc mã, năm, phần, điểm, mức, số quyết định, ngày quyết định)`);
  }
  if (body.length > MAX_PAST_RESULT_ROWS) throw new PastResultsFileError(`Tối đa ${MAX_PAST_RESULT_ROWS} dòng kết quả mỗi tệp`);
  const columns = Object.fromEntries([...index].map(([field, position]) => [field, columnLetter(position)])) as Record<PastResultsField, string>;
  const rows: PastResultRow[] = [];
  const problems: PastResultsProblem[] = [];
  const seen = new Map<string, number>();
  const decisionOfYear = new Map<number, { number: string; date: string; row: number }>();
  const thisYear = new Date().getUTCFullYear();
  body.forEach((cells, offset) => {
    const row = offset + 2;
    const cell = (field: PastResultsField): string => (cells[index.get(field) ?? -1] ?? '').normalize('NFC').trim();
    if (REQUIRED.every((field) => cell(field) === '')) return;
    const fail = (field: PastResultsField, code: string, message: string): void => void problems.push({ row, column: columns[field], field, code, message });
    const before = problems.length;
    const unitCode = cell('unit');
    if (!codePattern.test(unitCode)) fail('unit', 'RESULTS.INVALID_UNIT', `Mã đơn vị "${unitCode}" phải gồm 2–5 chữ số (mã ĐVHC)`);
    const yearText = cell('year');
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
    if (!(year >= 2000 && year < thisYear)) fail('year', 'RESULTS.INVALID_YEAR', `Năm "${yearText}" phải là một năm đã qua, từ 2000`);
    const partText = cell('part');
    const partCode = PART_ALIASES[normalize(partText)] ?? partText;
    if (!partPattern.test(partCode)) fail('part', 'RESULTS.INVALID_PART', `Phần "${partText}" phải là mã phần của bộ tiêu chí (readiness, results) hoặc "sẵn sàng", "kết quả"`);
    const scoreText = cell('score');
    const score = /^\d+([.,]\d+)?$/.test(scoreText) ? Number(scoreText.replace(',', '.')) : Number.NaN;
    if (!Number.isFinite(score) || score > 1000) fail('score', 'RESULTS.INVALID_SCORE', `Điểm "${scoreText}" phải là một số không âm (dấu thập phân là dấu chấm hoặc phẩy)`);
    const level = cell('level');
    if (level.length > 20) fail('level', 'RESULTS.INVALID_LEVEL', 'Mức xếp hạng dài quá 20 ký tự');
    const decisionNumber = cell('decision_number');
    if (decisionNumber === '' || decisionNumber.length > 100) fail('decision_number', 'RESULTS.INVALID_DECISION', 'Thiếu số quyết định công bố kết quả (tối đa 100 ký tự)');
    const decisionDate = isoDateOf(cell('decision_date'));
    if (decisionDate === null) fail('decision_date', 'RESULTS.INVALID_DECISION_DATE', `Ngày quyết định "${cell('decision_date')}" phải có dạng 10/01/2020 hoặc 2020-01-10`);
    if (problems.length !== before || decisionDate === null) return;
    const key = `${unitCode}\u0000${year}\u0000${partCode}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail('unit', 'RESULTS.DUPLICATE_IN_FILE', `Đơn vị ${unitCode}, năm ${year}, phần ${partCode} đã có ở dòng ${first}`);
      return;
    }
    seen.set(key, row);
    const decision = decisionOfYear.get(year);
    if (decision && (decision.number !== decisionNumber || decision.date !== decisionDate)) {
      fail('decision_number', 'RESULTS.DECISION_MISMATCH', `Năm ${year} đã ghi quyết định ${decision.number} ngày ${decision.date} ở dòng ${decision.row}; mỗi năm một quyết định`);
      return;
    }
    if (!decision) decisionOfYear.set(year, { number: decisionNumber, date: decisionDate, row });
    rows.push({ row, unitCode, year, partCode, score, level: level === '' ? null : level, decisionNumber, decisionDate });
  });
  if (rows.length === 0 && problems.length === 0) throw new PastResultsFileError('Tệp không có dòng kết quả nào dưới dòng tiêu đề');
  return { rows, problems, columns };
}

/** Valid rows, with each unit's registered name and tier, grouped into one edition per year. */
export function editionsOf(rows: readonly (PastResultRow & { readonly unitName: string; readonly tier: string })[]): PastResultsEdition[] {
  const byYear = new Map<number, PastResultsEdition & { results: PastResultsEdition['results'][number][] }>();
  for (const row of rows) {
    const edition = byYear.get(row.year) ?? { year: row.year, decisionNumber: row.decisionNumber, decisionDate: row.decisionDate, results: [] };
    edition.results.push({ unitCode: row.unitCode, unitName: row.unitName, tier: row.tier, partCode: row.partCode, score: row.score, level: row.level });
    byYear.set(row.year, edition);
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}
