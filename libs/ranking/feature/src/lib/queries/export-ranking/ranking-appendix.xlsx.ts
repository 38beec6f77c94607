import { newWorkbook } from '@tieuchi/shared/documents';
import type ExcelJS from 'exceljs';
import type { RankingAppendix } from './ranking-appendix';

/**
 * The appendix as a spreadsheet: the title lines merged across the table, then one row per
 * ranked unit with numbers kept as numbers (scores to 2 decimals, the change signed), so the
 * figures can be checked and reused cell by cell; then the units not assessed, with their reasons.
 */
export async function appendixWorkbook(appendix: RankingAppendix): Promise<Buffer> {
  const workbook = newWorkbook();
  workbook.creator = 'tieuchi';
  const sheet = workbook.addWorksheet('Phụ lục', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 6 }, { width: 34 }, { width: 18 }, { width: 10 }, { width: 16 }];
  const lines = [...appendix.title, appendix.decisionLine];
  lines.forEach((text, index) => {
    const row = index + 1;
    sheet.mergeCells(row, 1, row, 5);
    const cell = sheet.getCell(row, 1);
    cell.value = text;
    cell.alignment = { horizontal: 'center', wrapText: true };
    cell.font = { bold: index < 3, italic: index === 3, size: index === 0 ? 13 : 12, name: 'Times New Roman' };
  });
  const headRow = lines.length + 2;
  const head = sheet.getRow(headRow);
  head.values = [...appendix.columns];
  head.font = { bold: true, name: 'Times New Roman' };
  head.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  for (const [index, entry] of appendix.rows.entries()) {
    const row = sheet.getRow(headRow + 1 + index);
    row.values = [entry.rank, entry.unitName, entry.score, entry.level, entry.change];
    row.font = { name: 'Times New Roman' };
    row.getCell(3).numFmt = '0.00';
    row.getCell(5).numFmt = '+0.0##;-0.0##;0';
    row.getCell(1).alignment = { horizontal: 'center' };
    row.getCell(4).alignment = { horizontal: 'center' };
  }
  let last = headRow + appendix.rows.length;
  bordered(sheet, headRow, last, 5);
  if (appendix.notAssessed.length > 0) {
    // Not assessed units follow the table under their own heading: STT, unit, and the reason across the last three columns.
    const heading = last + 2;
    sheet.mergeCells(heading, 1, heading, 5);
    sheet.getCell(heading, 1).value = appendix.notAssessedHeading;
    sheet.getCell(heading, 1).font = { bold: true, name: 'Times New Roman' };
    const rows = [appendix.notAssessedColumns, ...appendix.notAssessed.map((entry, index) => [index + 1, entry.unitName, entry.reason])];
    rows.forEach((values, index) => {
      const r = heading + 1 + index;
      sheet.mergeCells(r, 3, r, 5);
      values.forEach((value, c) => (sheet.getCell(r, c + 1).value = value));
      sheet.getRow(r).font = { bold: index === 0, name: 'Times New Roman' };
      sheet.getCell(r, 3).alignment = { wrapText: true };
    });
    bordered(sheet, heading + 1, heading + rows.length, 5);
    last = heading + rows.length;
  }
  sheet.mergeCells(last + 2, 1, last + 2, 5);
  sheet.getCell(last + 2, 1).value = appendix.note;
  sheet.getCell(last + 2, 1).font = { italic: true, name: 'Times New Roman' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function bordered(sheet: ExcelJS.Worksheet, from: number, to: number, columns: number): void {
  for (let r = from; r <= to; r += 1) {
    for (let c = 1; c <= columns; c += 1) {
      sheet.getCell(r, c).border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    }
  }
}
