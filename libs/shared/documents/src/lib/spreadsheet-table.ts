import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { readUploadedWorkbook, SpreadsheetFileError } from './uploaded-workbook';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SPREADSHEET_TYPES = [CSV_TYPE, XLSX_TYPE] as const;

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
  const table: string[][] = [];
  const sheets = await readUploadedWorkbook(bytes, (sheet) =>
    sheet.position !== 0
      ? null
      : {
          row: (row) => {
            // Rows the file leaves out are empty rows, so each row keeps its spreadsheet number.
            while (table.length < row.number - 1) table.push([]);
            const cells: string[] = [];
            for (let c = 1; c <= row.cellCount; c += 1) cells.push(cellText(row.getCell(c)));
            table.push(cells);
          },
        },
  );
  if (sheets.length === 0) throw new SpreadsheetFileError('Bảng tính không có trang nào');
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
