import ExcelJS from 'exceljs';
import type { RankingAppendix } from './ranking-appendix';

/**
 * The appendix as a spreadsheet: the title lines merged across the table, then one row per
 * ranked unit with numbers kept as numbers (scores to 2 decimals, the change signed), so the
 * figures can be checked and reused cell by cell.
 */
export async function appendixWorkbook(appendix: RankingAppendix): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
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
  const last = headRow + appendix.rows.length;
  for (let r = headRow; r <= last; r += 1) {
    for (let c = 1; c <= 5; c += 1) {
      sheet.getCell(r, c).border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    }
  }
  sheet.mergeCells(last + 2, 1, last + 2, 5);
  sheet.getCell(last + 2, 1).value = appendix.note;
  sheet.getCell(last + 2, 1).font = { italic: true, name: 'Times New Roman' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
