import { columnLetter } from '@tieuchi/shared/documents';
import { isDomainError } from '@tieuchi/shared/kernel';
import { requireConsistentParent, tierOfUnit, type UnitState, type UnitTier } from '@tieuchi/unit/domain';
import { unitCodePattern } from '../../unit-fields';

/** The columns of a unit list; the header may name them in English or Vietnamese. */
export type UnitListField = 'code' | 'name' | 'type' | 'parent_code';

const HEADER_ALIASES: Readonly<Record<string, UnitListField>> = {
  code: 'code',
  'mã': 'code',
  'mã đvhc': 'code',
  'mã đơn vị': 'code',
  name: 'name',
  'tên': 'name',
  'tên đvhc': 'name',
  'tên đơn vị': 'name',
  type: 'type',
  'loại': 'type',
  'loại đơn vị': 'type',
  'cấp': 'type',
  parent_code: 'parent_code',
  parentcode: 'parent_code',
  'mã cấp trên': 'parent_code',
  'mã đơn vị cấp trên': 'parent_code',
};

export const MAX_UNIT_LIST_ROWS = 20_000;
const MAX_NAME = 200;
const MAX_TYPE = 50;

/** One data row of the file: `row` is the number the spreadsheet shows (the header is row 1). */
export interface UnitListImportRow {
  readonly row: number;
  readonly code: string;
  readonly name: string;
  readonly type: string;
  readonly parentCode: string | null;
}

/** One bad cell, in Vietnamese, named by row, column letter and field. */
export interface UnitListProblem {
  readonly row: number;
  readonly column: string;
  readonly field: UnitListField;
  readonly code: string;
  readonly message: string;
}

/** The file as a whole cannot be a unit list (no header, a missing column, too many rows). */
export class UnitListFileError extends Error {}

const normalizeHeader = (cell: string): string => cell.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

/** Rows of text (header first) to unit rows and the problems of their cells taken one by one. */
export function unitListRowsFromTable(table: readonly (readonly string[])[]): { rows: UnitListImportRow[]; problems: UnitListProblem[]; columns: Readonly<Record<UnitListField, string>> } {
  const [header, ...body] = table;
  if (!header || header.every((cell) => cell === '')) throw new UnitListFileError('Tệp trống: dòng 1 phải là tiêu đề với các cột code (mã ĐVHC), name, type, parent_code');
  const index = new Map<UnitListField, number>();
  header.forEach((cell, position) => {
    const field = HEADER_ALIASES[normalizeHeader(cell)];
    if (field && !index.has(field)) index.set(field, position);
  });
  const missing = (['code', 'name', 'type', 'parent_code'] as const).filter((field) => !index.has(field));
  if (missing.length > 0) throw new UnitListFileError(`Dòng tiêu đề thiếu cột ${missing.join(', ')} (cần code, name, type, parent_code hoặc mã, tên, loại, mã cấp trên)`);
  const columns = Object.fromEntries([...index].map(([field, position]) => [field, columnLetter(position)])) as Record<UnitListField, string>;
  const rows: UnitListImportRow[] = [];
  const problems: UnitListProblem[] = [];
  const firstRowOf = new Map<string, number>();
  body.forEach((cells, offset) => {
    const row = offset + 2;
    const cell = (field: UnitListField): string => (cells[index.get(field) ?? -1] ?? '').normalize('NFC').trim();
    const values = { code: cell('code'), name: cell('name'), type: cell('type'), parent_code: cell('parent_code') };
    if (Object.values(values).every((value) => value === '')) return;
    const fail = (field: UnitListField, code: string, message: string): void => void problems.push({ row, column: columns[field], field, code, message });
    const before = problems.length;
    if (values.code === '') fail('code', 'UNIT.FIELD_REQUIRED', 'Thiếu mã đơn vị (mã ĐVHC)');
    else if (!unitCodePattern.test(values.code)) {
      fail('code', 'UNIT.INVALID_CODE', `Mã đơn vị "${values.code}" phải gồm 2–5 chữ số (mã ĐVHC); nếu Excel đã bỏ số 0 ở đầu, hãy định dạng cột là Văn bản`);
    } else if (firstRowOf.has(values.code)) fail('code', 'UNIT.DUPLICATE_IN_FILE', `Mã ${values.code} đã có ở dòng ${firstRowOf.get(values.code)}`);
    if (values.name === '') fail('name', 'UNIT.FIELD_REQUIRED', 'Thiếu tên đơn vị');
    else if (values.name.length > MAX_NAME) fail('name', 'UNIT.FIELD_TOO_LONG', `Tên đơn vị dài quá ${MAX_NAME} ký tự`);
    if (values.type === '') fail('type', 'UNIT.FIELD_REQUIRED', 'Thiếu loại đơn vị (tỉnh, thành phố, huyện, thị xã, xã, phường, thị trấn…)');
    else if (values.type.length > MAX_TYPE) fail('type', 'UNIT.FIELD_TOO_LONG', `Loại đơn vị dài quá ${MAX_TYPE} ký tự`);
    if (values.parent_code !== '' && !unitCodePattern.test(values.parent_code)) {
      fail('parent_code', 'UNIT.INVALID_CODE', `Mã đơn vị cấp trên "${values.parent_code}" phải gồm 2–5 chữ số (mã ĐVHC)`);
    } else if (values.parent_code !== '' && values.parent_code === values.code) fail('parent_code', 'UNIT.INCONSISTENT_TIER', 'Đơn vị không thể là cấp trên của chính nó');
    if (unitCodePattern.test(values.code) && !firstRowOf.has(values.code)) firstRowOf.set(values.code, row);
    if (problems.length === before) rows.push({ row, code: values.code, name: values.name, type: values.type, parentCode: values.parent_code === '' ? null : values.parent_code });
  });
  if (rows.length + new Set(problems.map((problem) => problem.row)).size > MAX_UNIT_LIST_ROWS) throw new UnitListFileError(`Tối đa ${MAX_UNIT_LIST_ROWS} đơn vị mỗi tệp`);
  if (rows.length === 0 && problems.length === 0) throw new UnitListFileError('Tệp không có dòng đơn vị nào dưới dòng tiêu đề');
  return { rows, problems, columns };
}

const TIER_VI: Readonly<Record<string, string>> = { province: 'tỉnh', district: 'huyện', commune: 'xã' };
const tierVi = (tier: string): string => TIER_VI[tier] ?? tier;

/** A registration the import will make, in an order where every parent comes first. */
export interface UnitRegistration {
  readonly row: number;
  readonly code: string;
  readonly name: string;
  readonly type: string;
  readonly tier: UnitTier;
  readonly parentCode: string | null;
}

export interface UnitListPlan {
  readonly registrations: readonly UnitRegistration[];
  /** Rows whose unit is registered already with these attributes (now or before a later change). */
  readonly unchanged: readonly number[];
  readonly problems: readonly UnitListProblem[];
  /** The provinces the file's units belong to (for the caller's jurisdiction); rows whose province is unknown have a problem. */
  readonly provinces: ReadonlySet<string>;
}

const sameAttributes = (row: UnitListImportRow, held: { name: string; type: string; parentCode: string | null }): boolean =>
  held.name === row.name && held.type.toLowerCase() === row.type.toLowerCase() && held.parentCode === row.parentCode;

/**
 * Decides the whole file against the registered units, by the rules of POST /units: a parent is
 * in the file or registered, active, and of the tier above. `load` reads a unit's state and
 * `provinceOf` the province of a registered unit.
 */
export async function planUnitListImport(
  rows: readonly UnitListImportRow[],
  columns: Readonly<Record<UnitListField, string>>,
  load: (code: string) => Promise<UnitState>,
  provinceOf: (code: string) => Promise<string | null>,
): Promise<UnitListPlan> {
  const states = new Map<string, Promise<UnitState>>();
  const loadOnce = (code: string): Promise<UnitState> => {
    const cached = states.get(code) ?? load(code);
    states.set(code, cached);
    return cached;
  };
  const problems: UnitListProblem[] = [];
  const fail = (row: number, field: UnitListField, code: string, message: string): void => void problems.push({ row, column: columns[field], field, code, message });
  const inFile = new Map(rows.map((row) => [row.code, row] as const));
  const tierOf = (row: UnitListImportRow): UnitTier => tierOfUnit(row.type, row.parentCode);
  const unchanged: number[] = [];
  const registrations: UnitRegistration[] = [];

  for (const row of rows) {
    const state = await loadOnce(row.code);
    if (state.status !== 'unregistered') {
      if ([state, ...state.history].some((held) => sameAttributes(row, held))) {
        unchanged.push(row.row);
        continue;
      }
      const field: UnitListField = state.name !== row.name ? 'name' : state.type.toLowerCase() !== row.type.toLowerCase() ? 'type' : 'parent_code';
      fail(
        row.row,
        field,
        'UNIT.ALREADY_REGISTERED',
        `Mã ${row.code} đã được đăng ký là "${state.name}" (${state.type}, cấp trên ${state.parentCode ?? 'không có'}); dòng này ghi "${row.name}" (${row.type}, cấp trên ${row.parentCode ?? 'không có'})`,
      );
      continue;
    }
    const tier = tierOf(row);
    const parentRow = row.parentCode === null ? undefined : inFile.get(row.parentCode);
    const registeredParent = row.parentCode === null ? null : await loadOnce(row.parentCode);
    // A parent the same file registers stands as the file describes it.
    const parent: UnitState | null =
      parentRow && registeredParent?.status === 'unregistered'
        ? { status: 'active', code: parentRow.code, name: parentRow.name, type: parentRow.type, tier: tierOf(parentRow), parentCode: parentRow.parentCode, history: [], merges: [] }
        : registeredParent;
    try {
      requireConsistentParent({ code: row.code, tier, parentCode: row.parentCode }, parent);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      fail(row.row, 'parent_code', error.code, parentMessage(error.code, row, tier, parent));
      continue;
    }
    registrations.push({ row: row.row, code: row.code, name: row.name, type: row.type, tier, parentCode: row.parentCode });
  }

  const provinces = new Set<string>();
  const provinceMemo = new Map<string, Promise<string | null>>();
  const provinceOfRow = (row: UnitListImportRow, depth = 0): Promise<string | null> => {
    if (row.parentCode === null) return Promise.resolve(row.code);
    const parentRow = inFile.get(row.parentCode);
    if (parentRow && depth < 3) return provinceOfRow(parentRow, depth + 1);
    const cached = provinceMemo.get(row.parentCode) ?? provinceOf(row.parentCode);
    provinceMemo.set(row.parentCode, cached);
    return cached;
  };
  for (const row of rows) {
    const province = await provinceOfRow(row);
    if (province !== null) provinces.add(province);
  }

  const depth: Readonly<Record<string, number>> = { province: 0, district: 1, commune: 2 };
  registrations.sort((a, b) => (depth[a.tier] ?? 3) - (depth[b.tier] ?? 3) || a.row - b.row);
  problems.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  return { registrations, unchanged, problems, provinces };
}

function parentMessage(code: string, row: UnitListImportRow, tier: UnitTier, parent: UnitState | null): string {
  switch (code) {
    case 'UNIT.PARENT_NOT_FOUND':
      return `Đơn vị cấp trên ${row.parentCode} chưa được đăng ký và không có trong tệp`;
    case 'UNIT.PARENT_NOT_ACTIVE':
      return `Đơn vị cấp trên ${row.parentCode} không còn hoạt động (${parent?.status === 'dissolved' ? 'đã giải thể' : 'đã sáp nhập'})`;
    case 'UNIT.INCONSISTENT_TIER': {
      const expected = tier === 'commune' ? 'district' : 'province';
      const parentTier = parent && parent.status !== 'unregistered' ? parent.tier : '?';
      return `Đơn vị cấp ${tierVi(tier)} (${row.type}) phải trực thuộc đơn vị cấp ${tierVi(expected)}; ${row.parentCode} là đơn vị cấp ${tierVi(parentTier)}`;
    }
    default:
      return `Đơn vị cấp trên ${row.parentCode ?? ''} không hợp lệ (${code})`;
  }
}
