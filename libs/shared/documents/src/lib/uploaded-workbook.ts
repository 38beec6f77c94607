import type ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { assertXlsxWithinBounds, XlsxNotAZipError, XlsxTooLargeError, xlsxTooLargeMessage } from './xlsx-bounds';
import { exceljs } from './exceljs';

/** A file that cannot be read as a table; `tooLarge` when it is an XLSX that unpacks past the bound (413). */
export class SpreadsheetFileError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

export interface UploadedSheet {
  readonly name: string;
  /** 0 for the first sheet in the workbook's own order (the order of its tabs). */
  readonly position: number;
}

/** A merged range of one sheet, 1-based as ExcelJS numbers rows and columns. */
export interface MergedRange {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** How a sheet is taken: each row as it is read, then its merged ranges (which a sheet lists after its rows). */
export interface SheetReading {
  row(row: ExcelJS.Row): void;
  merged?(ranges: readonly MergedRange[]): void;
}

/** What ExcelJS's streaming reader holds but does not type. */
interface WorkbookReaderInternals {
  readonly model?: { readonly sheets?: readonly { readonly name: string }[] };
}
interface WorksheetReaderInternals {
  readonly name: string;
  iterator: AsyncIterable<Buffer | string>;
}

const unreadable = 'Tệp không phải là bảng tính XLSX đọc được';

/**
 * Reads an uploaded XLSX sheet by sheet and row by row with ExcelJS's streaming reader, after
 * checking what its zip unpacks to (xlsx-bounds.ts): no workbook model is built, so memory follows
 * the rows the caller keeps (and the shared strings), not the workbook. `visit` answers how to take
 * each sheet, or null to skip it. Messages are Vietnamese, for the uploader.
 */
export async function readUploadedWorkbook(bytes: Buffer, visit: (sheet: UploadedSheet) => SheetReading | null): Promise<UploadedSheet[]> {
  try {
    assertXlsxWithinBounds(bytes);
  } catch (error) {
    if (error instanceof XlsxTooLargeError) throw new SpreadsheetFileError(xlsxTooLargeMessage(), true);
    if (error instanceof XlsxNotAZipError) throw new SpreadsheetFileError(unreadable);
    throw error;
  }
  // Styles are read (a small part) because a cell is a date only by its number format.
  const reader = new (exceljs().stream.xlsx.WorkbookReader)(Readable.from([bytes]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  const sheets: UploadedSheet[] = [];
  try {
    for await (const worksheet of reader) {
      const internals = worksheet as unknown as WorksheetReaderInternals;
      const order = (reader as unknown as WorkbookReaderInternals).model?.sheets?.findIndex((sheet) => sheet.name === internals.name) ?? -1;
      const sheet: UploadedSheet = { name: internals.name, position: order >= 0 ? order : sheets.length };
      sheets.push(sheet);
      const reading = visit(sheet);
      if (!reading) continue;
      const ranges: MergedRange[] = [];
      internals.iterator = mergedRangesOf(internals.iterator, ranges);
      for await (const row of worksheet) reading.row(row);
      reading.merged?.(ranges);
    }
  } catch (error) {
    if (error instanceof SpreadsheetFileError) throw error;
    throw new SpreadsheetFileError(unreadable);
  }
  return sheets;
}

const mergeCell = /<mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"/g;
// Longer than any <mergeCell …> element, so one cut between two chunks is seen whole in the next.
const carried = 256;

/**
 * Passes a sheet's XML through unchanged while picking out its <mergeCell ref="A6:I6"/> elements,
 * which ExcelJS's streaming reader skips; only a short tail is kept between chunks.
 */
async function* mergedRangesOf(chunks: AsyncIterable<Buffer | string>, ranges: MergedRange[]): AsyncGenerator<Buffer | string> {
  if (typeof chunks?.[Symbol.asyncIterator] !== 'function') throw new Error('ExcelJS streaming reader has no sheet iterator to read merged cells from');
  let tail = '';
  for await (const chunk of chunks) {
    // latin1 keeps one character per byte: the references are ASCII, the rest need not decode.
    const text = tail + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    let end = 0;
    for (const match of text.matchAll(mergeCell)) {
      const [, fromColumn = '', fromRow = '', toColumn, toRow] = match;
      ranges.push({ top: Number(fromRow), left: columnNumber(fromColumn), bottom: Number(toRow ?? fromRow), right: columnNumber(toColumn ?? fromColumn) });
      end = (match.index ?? 0) + match[0].length;
    }
    tail = text.slice(Math.max(end, text.length - carried));
    yield chunk;
  }
}

/** A → 1, AA → 27. */
function columnNumber(letters: string): number {
  return [...letters].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0);
}

/** True when `range` covers the cell at `row`, `column` (1-based). */
export const coversCell = (range: MergedRange, row: number, column: number): boolean => range.top <= row && row <= range.bottom && range.left <= column && column <= range.right;
