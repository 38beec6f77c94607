import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { craftZip } from '../testing/crafted-zip';
import { readSpreadsheetTable } from './spreadsheet-table';
import { type MergedRange, readUploadedWorkbook, SpreadsheetFileError } from './uploaded-workbook';
import { assertXlsxWithinBounds, XlsxNotAZipError } from './xlsx-bounds';

async function bytesOf(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('uploaded workbooks read as a stream of rows', () => {
  it('reads the first sheet in tab order, keeps row numbers across rows the file leaves out, and skips the other sheets', async () => {
    const workbook = new ExcelJS.Workbook();
    const later = workbook.addWorksheet('Trang sau');
    later.addRow(['không đọc']);
    const first = workbook.addWorksheet('Đơn vị');
    first.getCell('A1').value = 'mã';
    first.getCell('B1').value = 'tên';
    first.getCell('A4').value = '24728';
    first.getCell('C4').value = "Nâm N'Jang";
    // Tab order (ExcelJS's untyped orderNo) puts "Đơn vị" first although its part is written second.
    (first as unknown as { orderNo: number }).orderNo = 0;
    (later as unknown as { orderNo: number }).orderNo = 1;
    expect(await readSpreadsheetTable(await bytesOf(workbook), 'xlsx')).toEqual([['mã', 'tên'], [], [], ['24728', '', "Nâm N'Jang"]]);
  });

  it('reports the merged ranges of a sheet after its rows', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Phiếu');
    sheet.mergeCells('A6:I6');
    sheet.getCell('A6').value = 'Phần điều kiện sẵn sàng';
    sheet.mergeCells('B30:C31');
    sheet.getCell('A7').value = 'D.R.1';
    const rows: number[] = [];
    let merged: readonly MergedRange[] = [];
    const sheets = await readUploadedWorkbook(await bytesOf(workbook), () => ({ row: (row) => rows.push(row.number), merged: (ranges) => (merged = ranges) }));
    expect(sheets).toEqual([{ name: 'Phiếu', position: 0 }]);
    expect(rows).toEqual(expect.arrayContaining([6, 7]));
    expect(merged).toEqual([
      { top: 6, left: 1, bottom: 6, right: 9 },
      { top: 30, left: 2, bottom: 31, right: 3 },
    ]);
  });

  it('reads a workbook whose parts carry their sizes after the data (data descriptors, as streaming writers and LibreOffice write)', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true });
    const sheet = writer.addWorksheet('Đơn vị');
    sheet.addRow(['mã', 'tên']).commit();
    sheet.addRow(['24728', "Nâm N'Jang"]).commit();
    sheet.commit();
    await writer.commit();
    const bytes = Buffer.concat(chunks);
    // General-purpose flag bit 3 on the first part: its sizes follow its data.
    expect(bytes.readUInt16LE(6) & 0x0008).toBe(0x0008);
    expect(await readSpreadsheetTable(bytes, 'xlsx')).toEqual([
      ['mã', 'tên'],
      ['24728', "Nâm N'Jang"],
    ]);
  });

  it('refuses a zip hiding a part between the listed ones, which a reader walking the local headers would inflate unchecked', async () => {
    const sheet = Buffer.from('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>');
    const hidden = craftZip([
      { name: '[Content_Types].xml', content: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet2.xml', content: Buffer.alloc(4 * 1024 * 1024, 0x20), unlisted: true },
      { name: 'xl/worksheets/sheet1.xml', content: sheet },
    ]);
    expect(() => assertXlsxWithinBounds(hidden)).toThrow(XlsxNotAZipError);
    await expect(readSpreadsheetTable(hidden, 'xlsx')).rejects.toThrow(SpreadsheetFileError);
    const listed = craftZip([
      { name: '[Content_Types].xml', content: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet1.xml', content: sheet },
    ]);
    expect(() => assertXlsxWithinBounds(listed)).not.toThrow();
  });

  it('answers a zip that is no workbook, or a broken sheet, as unreadable (not a crash)', async () => {
    const broken = craftZip([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></row>') }]);
    const refusal = await readSpreadsheetTable(broken, 'xlsx').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SpreadsheetFileError);
    expect(refusal).toMatchObject({ tooLarge: false });
  });
});
