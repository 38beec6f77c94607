import { parse } from 'csv-parse/sync';
import { readSpreadsheetTable, SpreadsheetFileError } from '@tieuchi/shared/documents';

/** One row of a staff list: who, and one role with its unit or province. */
export interface StaffRow {
  /** 2 for the first data row: the number a spreadsheet shows. */
  readonly row: number;
  readonly login: string;
  readonly name: string;
  readonly role: string;
  readonly unitCode: string;
  readonly provinceCode: string;
  readonly national: string;
}

export const STAFF_COLUMNS = ['login', 'name', 'role', 'unit', 'province', 'national'] as const;
export const MAX_STAFF_ROWS = 5_000;

const aliases: Readonly<Record<string, (typeof STAFF_COLUMNS)[number]>> = {
  login: 'login',
  email: 'login',
  'thư điện tử': 'login',
  name: 'name',
  'họ tên': 'name',
  'họ và tên': 'name',
  role: 'role',
  'vai trò': 'role',
  unit: 'unit',
  unitcode: 'unit',
  'mã đơn vị': 'unit',
  province: 'province',
  provincecode: 'province',
  'mã tỉnh': 'province',
  national: 'national',
};

/** A file that is not a staff list; `tooLarge` when its zip unpacks past the XLSX bound (413). */
export class StaffFileError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

function rowsFrom(table: readonly (readonly string[])[]): StaffRow[] {
  const [header, ...body] = table;
  if (!header) throw new StaffFileError('the file is empty');
  const columns = header.map((cell) => aliases[cell.trim().toLowerCase()]);
  for (const required of ['login', 'name', 'role'] as const) {
    if (!columns.includes(required)) throw new StaffFileError(`the header must name the columns login, name and role (and unit or province); ${required} is missing`);
  }
  if (body.length > MAX_STAFF_ROWS) throw new StaffFileError(`at most ${MAX_STAFF_ROWS} rows per file`);
  const cell = (cells: readonly string[], name: (typeof STAFF_COLUMNS)[number]): string => {
    const index = columns.indexOf(name);
    return index < 0 ? '' : (cells[index] ?? '').trim();
  };
  return body
    .map((cells, index) => ({
      row: index + 2,
      login: cell(cells, 'login'),
      name: cell(cells, 'name'),
      role: cell(cells, 'role'),
      unitCode: cell(cells, 'unit'),
      provinceCode: cell(cells, 'province'),
      national: cell(cells, 'national'),
    }))
    .filter((row) => [row.login, row.name, row.role, row.unitCode, row.provinceCode].some((value) => value !== ''));
}

export function parseStaffCsv(content: Buffer): StaffRow[] {
  let table: string[][];
  try {
    table = parse(content, { bom: true, relaxColumnCount: true, skipEmptyLines: true, trim: true }) as string[][];
  } catch {
    throw new StaffFileError('the CSV file cannot be read');
  }
  return rowsFrom(table);
}

export async function parseStaffXlsx(content: Buffer): Promise<StaffRow[]> {
  let table: string[][];
  try {
    table = await readSpreadsheetTable(content, 'xlsx');
  } catch (error) {
    if (error instanceof SpreadsheetFileError) throw new StaffFileError(error.tooLarge ? error.message : 'the XLSX file cannot be read', error.tooLarge);
    throw error;
  }
  return rowsFrom(table);
}
