import { DomainError } from '@tieuchi/shared/kernel';
import { readSpreadsheetTable } from './spreadsheet-table';
import { SpreadsheetFileError } from './uploaded-workbook';

/**
 * An uploaded CSV / XLSX request body as rows of text. A missing or unreadable file is refused
 * with `code` naming `body` (400), an XLSX that unpacks past the bound with 413 FILE.XLSX_TOO_LARGE.
 * `what` names the expected file in the Vietnamese message ("danh sách đơn vị").
 */
export async function uploadedTable(body: unknown, isCsv: boolean, code: string, what: string, maxSize: string): Promise<string[][]> {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new DomainError(code, 'validation', `Gửi ${what} dạng CSV (text/csv, UTF-8) hoặc XLSX, tối đa ${maxSize}`, 'body');
  }
  try {
    return await readSpreadsheetTable(body, isCsv ? 'csv' : 'xlsx');
  } catch (error) {
    if (error instanceof SpreadsheetFileError) throw new DomainError(error.tooLarge ? 'FILE.XLSX_TOO_LARGE' : code, error.tooLarge ? 'too_large' : 'validation', error.message, 'body');
    throw error;
  }
}
