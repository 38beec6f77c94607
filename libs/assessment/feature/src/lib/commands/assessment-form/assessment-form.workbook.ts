import type { CriterionRecord, EvidenceRecord } from '@tieuchi/assessment/domain';
import type { CriterionAnswer, CriterionDefinition, TierDefinition } from '@tieuchi/framework/domain';
import { coversCell, type MergedRange, newWorkbook, readUploadedWorkbook, SpreadsheetFileError } from '@tieuchi/shared/documents';
import type ExcelJS from 'exceljs';

export const FORM_SHEET = 'Phiếu tự đánh giá';
const META_SHEET = 'tieuchi';
const FIRST_ROW = 6;

/** Columns of the form sheet; only answer, not-applicable, explanation and references are for the unit to fill. */
export const FORM_COLUMNS = { code: 'A', title: 'B', max: 'C', how: 'D', answer: 'E', notApplicable: 'F', explanation: 'G', references: 'H', files: 'I' } as const;
const editable = [FORM_COLUMNS.answer, FORM_COLUMNS.notApplicable, FORM_COLUMNS.explanation, FORM_COLUMNS.references];

/** What the form was downloaded from: the file names its assessment and the version it shows. */
export interface FormIdentity {
  readonly periodId: string;
  readonly unitCode: string;
  readonly version: number;
  readonly frameworkId: string;
  readonly frameworkVersion: number;
}

export interface FormInput extends FormIdentity {
  readonly unitName: string;
  readonly tier: TierDefinition;
  readonly criteria: Readonly<Record<string, CriterionRecord>>;
}

/** One criterion row as the unit filled it; `answer` null is a row left empty (nothing changes). */
export interface FormRow {
  readonly row: number;
  readonly criterionCode: string;
  readonly answer: CriterionAnswer | null;
  readonly explanation: string | undefined;
  readonly references: readonly string[];
}

/** A refused cell, named as a spreadsheet names it. */
export interface FormCellProblem {
  readonly field: string;
  readonly sheet: string;
  readonly cell: string;
  readonly code: string;
  readonly message: string;
}

export const cellProblem = (column: string, row: number, code: string, message: string): FormCellProblem => ({
  field: `${FORM_SHEET}!${column}${row}`,
  sheet: FORM_SHEET,
  cell: `${column}${row}`,
  code,
  message,
});

const yes = new Set(['có', 'co', 'yes', 'true', '1', 'đạt']);
const no = new Set(['không', 'khong', 'no', 'false', '0', 'không đạt']);

function howToAnswer(criterion: CriterionDefinition): string {
  const rule = criterion.rule;
  switch (rule.kind) {
    case 'yes_no':
      return 'Có / Không';
    case 'manual':
      return `Điểm từ 0 đến ${criterion.maxPoints}`;
    case 'ratio':
      return `Số (đạt ${rule.target} thì được tối đa)`;
    case 'banded':
      return `Số; điểm theo khoảng: ${rule.bands.map((band) => `${band.from}${band.to === undefined ? ' trở lên' : `–${band.to}`}: ${band.points}`).join('; ')}`;
    default: {
      const never: never = rule;
      return never;
    }
  }
}

const answerCell = (answer: CriterionAnswer | undefined): string | number | null =>
  answer === undefined || answer.kind === 'not_applicable' ? null : typeof answer.value === 'boolean' ? (answer.value ? 'Có' : 'Không') : answer.value;

const referencesOf = (evidence: readonly EvidenceRecord[]): string[] => evidence.flatMap((record) => (record.kind === 'reference' ? [record.reference] : []));
const filesOf = (evidence: readonly EvidenceRecord[]): string[] => evidence.flatMap((record) => (record.kind === 'file' ? [record.name] : []));

/**
 * The self-assessment form as a workbook, pre-filled with the answers given so far. The sheet is
 * protected except the cells to fill, so codes and maxima cannot be edited by mistake; a very
 * hidden sheet names the assessment and the version the form shows.
 */
export async function assessmentFormWorkbook(input: FormInput): Promise<Buffer> {
  const workbook = newWorkbook();
  workbook.creator = 'tieuchi';
  const sheet = workbook.addWorksheet(FORM_SHEET, { views: [{ state: 'frozen', ySplit: FIRST_ROW - 1 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 13 }, { width: 52 }, { width: 8 }, { width: 26 }, { width: 12 }, { width: 12 }, { width: 36 }, { width: 36 }, { width: 30 }];
  const heading = (row: number, text: string, bold: boolean): void => {
    sheet.mergeCells(`A${row}:I${row}`);
    const cell = sheet.getCell(`A${row}`);
    cell.value = text;
    cell.font = { bold, size: bold ? 13 : 11 };
    cell.alignment = { wrapText: true };
  };
  heading(1, `PHIẾU TỰ ĐÁNH GIÁ — ${input.unitName} (mã ${input.unitCode})`, true);
  heading(2, `Kỳ đánh giá ${input.periodId}; bộ tiêu chí ${input.frameworkId} phiên bản ${input.frameworkVersion}; phiếu tải xuống ở phiên bản ${input.version}.`, false);
  heading(
    3,
    'Điền cột "Trả lời"; ghi x ở cột "Không áp dụng" (kèm giải trình) nếu tiêu chí không áp dụng; mỗi tài liệu minh chứng ghi bằng chữ một dòng. Tệp minh chứng đã đính kèm được giữ nguyên. Dòng để trống không thay đổi gì. Nếu phiếu trên hệ thống đã thay đổi sau khi tải xuống, hãy tải phiếu mới.',
    false,
  );
  sheet.getRow(3).height = 45;
  const head = sheet.getRow(FIRST_ROW - 1);
  head.values = ['Mã tiêu chí', 'Tiêu chí', 'Tối đa', 'Cách trả lời', 'Trả lời', 'Không áp dụng (x)', 'Giải trình', 'Minh chứng ghi bằng chữ (mỗi dòng một tài liệu)', 'Tệp minh chứng đã đính kèm'];
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  let row = FIRST_ROW;
  for (const part of input.tier.parts) {
    sheet.mergeCells(`A${row}:I${row}`);
    sheet.getCell(`A${row}`).value = `Phần ${part.title} (tối đa ${part.maxPoints} điểm)`;
    sheet.getRow(row).font = { bold: true, size: 12 };
    row += 1;
    for (const group of part.groups) {
      sheet.mergeCells(`A${row}:I${row}`);
      sheet.getCell(`A${row}`).value = `${group.code} — ${group.title}`;
      sheet.getRow(row).font = { bold: true };
      sheet.getRow(row).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
      row += 1;
      for (const criterion of group.criteria) {
        const self = input.criteria[criterion.code]?.self ?? null;
        const line = sheet.getRow(row);
        line.values = [
          criterion.code,
          criterion.title,
          criterion.maxPoints,
          howToAnswer(criterion),
          answerCell(self?.answer),
          self?.answer.kind === 'not_applicable' ? 'x' : null,
          self?.explanation ?? null,
          referencesOf(self?.evidence ?? []).join('\n') || null,
          filesOf(self?.evidence ?? []).join('\n') || null,
        ];
        line.alignment = { wrapText: true, vertical: 'top' };
        for (const column of editable) sheet.getCell(`${column}${row}`).protection = { locked: false };
        const answer = sheet.getCell(`${FORM_COLUMNS.answer}${row}`);
        answer.dataValidation =
          criterion.rule.kind === 'yes_no'
            ? { type: 'list', allowBlank: true, formulae: ['"Có,Không"'], showErrorMessage: true, errorTitle: 'Trả lời', error: 'Chọn Có hoặc Không' }
            : { type: 'decimal', operator: 'greaterThanOrEqual', allowBlank: true, formulae: [0], showErrorMessage: true, errorTitle: 'Trả lời', error: 'Nhập một số không âm' };
        if (criterion.mayBeNotApplicable) {
          sheet.getCell(`${FORM_COLUMNS.notApplicable}${row}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"x"'] };
        }
        row += 1;
      }
    }
  }
  await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  const meta = workbook.addWorksheet(META_SHEET, { state: 'veryHidden' });
  meta.addRows([
    ['periodId', input.periodId],
    ['unitCode', input.unitCode],
    ['version', input.version],
    ['frameworkId', input.frameworkId],
    ['frameworkVersion', input.frameworkVersion],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A cell's value as text, whatever Excel or LibreOffice made of it (rich text, formula results, numbers). */
function textOf(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((run) => run.text).join('').trim();
    if ('result' in value) return textOf(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    if (value instanceof Date) return value.toISOString();
    return '';
  }
  return String(value).trim();
}

function numberOf(value: ExcelJS.CellValue): number | null {
  const raw = typeof value === 'object' && value !== null && 'result' in value ? value.result : value;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  const text = textOf(value).replace(/\s/g, '');
  // Vietnamese decimal comma (80,5) as well as a point.
  if (!/^-?\d+([.,]\d+)?$/.test(text)) return null;
  return Number(text.replace(',', '.'));
}

/** A file that is not a readable form; `tooLarge` when its zip unpacks past the XLSX bound (413). */
export class FormFileError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** The cells of one criterion row the form reads, kept as the sheet streams by. */
interface CriterionLine {
  readonly row: number;
  readonly code: string;
  readonly cells: Readonly<Record<'answer' | 'notApplicable' | 'explanation' | 'references', ExcelJS.CellValue>>;
}

const columnIndex = (letter: string): number => letter.charCodeAt(0) - 64;

/**
 * Reads a filled form: who it is for, and each criterion row; cells that cannot mean anything are
 * problems, named by cell. The workbook is streamed: only the few cells of each row with a code
 * are kept, and the sheet's merged headings (listed after its rows) are set aside at the end.
 */
export async function readAssessmentForm(
  bytes: Buffer,
  tier: TierDefinition,
): Promise<{ identity: FormIdentity; rows: FormRow[]; problems: FormCellProblem[] }> {
  const lines: CriterionLine[] = [];
  let merged: readonly MergedRange[] = [];
  const metaValues = new Map<string, string>();
  let sheets: readonly { name: string }[];
  try {
    sheets = await readUploadedWorkbook(bytes, (sheet) => {
      if (sheet.name === META_SHEET) {
        return {
          row: (row) => {
            const key = textOf(row.getCell(1).value);
            if (row.number <= 10 && !metaValues.has(key)) metaValues.set(key, textOf(row.getCell(2).value));
          },
        };
      }
      if (sheet.name !== FORM_SHEET) return null;
      return {
        row: (row) => {
          const code = row.number >= FIRST_ROW ? textOf(row.getCell(columnIndex(FORM_COLUMNS.code)).value) : '';
          if (code === '') return;
          const value = (column: string): ExcelJS.CellValue => row.getCell(columnIndex(column)).value;
          lines.push({
            row: row.number,
            code,
            cells: { answer: value(FORM_COLUMNS.answer), notApplicable: value(FORM_COLUMNS.notApplicable), explanation: value(FORM_COLUMNS.explanation), references: value(FORM_COLUMNS.references) },
          });
        },
        merged: (ranges) => (merged = ranges),
      };
    });
  } catch (error) {
    if (error instanceof SpreadsheetFileError) throw new FormFileError(error.message, error.tooLarge);
    throw error;
  }
  if (!sheets.some((sheet) => sheet.name === FORM_SHEET) || !sheets.some((sheet) => sheet.name === META_SHEET)) {
    throw new FormFileError(`Tệp không phải phiếu tải xuống từ hệ thống (thiếu trang "${FORM_SHEET}")`);
  }
  const metaValue = (key: string): string => metaValues.get(key) ?? '';
  const version = Number(metaValue('version'));
  const frameworkVersion = Number(metaValue('frameworkVersion'));
  if (!Number.isInteger(version) || !Number.isInteger(frameworkVersion)) throw new FormFileError('Phần thông tin ẩn của phiếu đã bị sửa; hãy tải phiếu mới');
  const identity: FormIdentity = { periodId: metaValue('periodId'), unitCode: metaValue('unitCode'), version, frameworkId: metaValue('frameworkId'), frameworkVersion };

  const definitions = new Map(tier.parts.flatMap((part) => part.groups.flatMap((group) => group.criteria.map((criterion) => [criterion.code, criterion] as const))));
  const rows: FormRow[] = [];
  const problems: FormCellProblem[] = [];
  const seen = new Set<string>();
  for (const { row: r, code, cells } of lines) {
    // Part and group headings are merged across the row; they are not criteria.
    if (merged.some((range) => coversCell(range, r, columnIndex(FORM_COLUMNS.code)))) continue;
    const definition = definitions.get(code);
    if (!definition) {
      problems.push(cellProblem(FORM_COLUMNS.code, r, 'FORM.UNKNOWN_CRITERION', `Mã tiêu chí ${code} không có trong bộ tiêu chí của phiếu`));
      continue;
    }
    if (seen.has(code)) {
      problems.push(cellProblem(FORM_COLUMNS.code, r, 'FORM.DUPLICATE_CRITERION', `Tiêu chí ${code} xuất hiện hai lần`));
      continue;
    }
    seen.add(code);
    const notApplicableText = textOf(cells.notApplicable).toLowerCase();
    const explanation = textOf(cells.explanation) || undefined;
    const references = textOf(cells.references)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const answerText = textOf(cells.answer);
    if (notApplicableText !== '' && notApplicableText !== 'x') {
      problems.push(cellProblem(FORM_COLUMNS.notApplicable, r, 'FORM.NOT_APPLICABLE_MARK', 'Cột "Không áp dụng" chỉ nhận x hoặc để trống'));
      continue;
    }
    if (notApplicableText === 'x') {
      if (answerText !== '') {
        problems.push(cellProblem(FORM_COLUMNS.answer, r, 'FORM.ANSWER_AND_NOT_APPLICABLE', 'Tiêu chí đánh dấu không áp dụng thì để trống cột "Trả lời"'));
        continue;
      }
      rows.push({ row: r, criterionCode: code, answer: { kind: 'not_applicable' }, explanation, references });
      continue;
    }
    if (answerText === '') {
      rows.push({ row: r, criterionCode: code, answer: null, explanation, references });
      continue;
    }
    if (definition.rule.kind === 'yes_no') {
      const word = answerText.toLowerCase();
      if (!yes.has(word) && !no.has(word)) {
        problems.push(cellProblem(FORM_COLUMNS.answer, r, 'FORM.YES_NO_EXPECTED', `Tiêu chí ${code} trả lời Có hoặc Không, không phải "${answerText}"`));
        continue;
      }
      rows.push({ row: r, criterionCode: code, answer: { kind: 'value', value: yes.has(word) }, explanation, references });
      continue;
    }
    const value = numberOf(cells.answer);
    if (value === null) {
      problems.push(cellProblem(FORM_COLUMNS.answer, r, 'FORM.NUMBER_EXPECTED', `Tiêu chí ${code} trả lời bằng một số, không phải "${answerText}"`));
      continue;
    }
    rows.push({ row: r, criterionCode: code, answer: { kind: 'value', value }, explanation, references });
  }
  return { identity, rows, problems };
}
