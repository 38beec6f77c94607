import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { assertXlsxWithinBounds, XlsxNotAZipError, XlsxTooLargeError, xlsxTooLargeMessage } from './xlsx-bounds';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SPREADSHEET_TYPES = [CSV_TYPE, XLSX_TYPE] as const;

/** A file that cannot be read as a table; `tooLarge` when it is an XLSX that unpacks past the bound (413). */
export class SpreadsheetFileError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/**
 * Loads an uploaded workbook after checking what its zip unpacks to (xlsx-bounds.ts); messages are
 * Vietnamese, for the uploader.
 */
export async function loadUploadedWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  try {
    assertXlsxWithinBounds(bytes);
  } catch (error) {
    if (error instanceof XlsxTooLargeError) throw new SpreadsheetFileError(xlsxTooLargeMessage(), true);
    if (error instanceof XlsxNotAZipError) throw new SpreadsheetFileError('Tệp không phải là bảng tính XLSX đọc được');
    throw error;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new SpreadsheetFileError('Tệp không phải là bảng tính XLSX đọc được');
  }
  return workbook;
}

/**
 * The first sheet of an XLSX, or a CSV (UTF-8, with or without BOM), as rows of trimmed text:
 * row 0 is the header, as the spreadsheet's row 1. Cells are read as shown, so a code typed as a
 * number loses its leading zeros exactly as the user sees it.
 */
export async function readSpreadsheetTable(bytes: Buffer, kind: 'csv' | 'xlsx'): Promise<string[][]> {
  if (kind === 'csv') {
    try {
      return (parse(bytes, { bom: true, relaxColumnCount: true, skipEmptyLines: false, trim: true }) as string[][]).map((row) => row.map((cell) => cell.trim()));
    } catch {
      throw new SpreadsheetFileError('Không đọc được tệp CSV (cần mã UTF-8, phân cách bằng dấu phẩy)');
    }
  }
  const workbook = await loadUploadedWorkbook(bytes);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SpreadsheetFileError('Bảng tính không có trang nào');
  const table: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c += 1) cells.push(cellText(row.getCell(c)));
    table.push(cells);
  }
  return table;
}

/** A date cell as YYYY-MM-DD (Excel keeps dates without a zone: read as UTC); any other as shown. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (Object.prototype.toString.call(value) === '[object Date]') return (value as Date).toISOString().slice(0, 10);
  return (cell.text ?? '').trim();
}

/** Spreadsheet column letters for a 0-based index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
