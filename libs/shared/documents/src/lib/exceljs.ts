import type ExcelJS from 'exceljs';

/** ExcelJS, loaded at first use: ~8 MB of heap and 670 modules that an idle server never needs. */
export function exceljs(): typeof ExcelJS {
  return require('exceljs') as typeof ExcelJS;
}

/** A new, empty workbook to fill and write. */
export function newWorkbook(): ExcelJS.Workbook {
  return new (exceljs().Workbook)();
}
