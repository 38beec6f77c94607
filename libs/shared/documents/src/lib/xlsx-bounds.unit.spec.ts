import ExcelJS from 'exceljs';
import { craftXlsxBomb, craftZip } from '../testing/crafted-zip';
import { readSpreadsheetTable } from './spreadsheet-table';
import { SpreadsheetFileError } from './uploaded-workbook';
import { assertXlsxWithinBounds, XLSX_BOUNDS, XlsxNotAZipError, XlsxTooLargeError } from './xlsx-bounds';

const small = { maxUncompressedBytes: 1024 * 1024, maxEntries: 20 };

describe('XLSX bounds: what an uploaded workbook may unpack to', () => {
  it('lets a real workbook through, and reads it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Đơn vị').addRows([
      ['mã', 'tên'],
      ['24728', "Nâm N'Jang"],
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(() => assertXlsxWithinBounds(bytes)).not.toThrow();
    expect(await readSpreadsheetTable(bytes, 'xlsx')).toEqual([
      ['mã', 'tên'],
      ['24728', "Nâm N'Jang"],
    ]);
  });

  it('reads a date cell as YYYY-MM-DD and a number as shown', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Kết quả').addRows([
      ['ngày quyết định', 'điểm'],
      [new Date(Date.UTC(2018, 0, 15)), 40.5],
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await readSpreadsheetTable(bytes, 'xlsx')).toEqual([
      ['ngày quyết định', 'điểm'],
      ['2018-01-15', '40.5'],
    ]);
  });

  it('refuses a part that declares a few hundred bytes and inflates past the bound', () => {
    const bomb = craftXlsxBomb(2);
    expect(bomb.length).toBeLessThan(20 * 1024);
    expect(() => assertXlsxWithinBounds(bomb, small)).toThrow(XlsxTooLargeError);
    expect(() => assertXlsxWithinBounds(bomb, { ...small, maxUncompressedBytes: 3 * 1024 * 1024 })).not.toThrow();
  });

  it('refuses from the declared sizes alone, before inflating anything', () => {
    expect(() => assertXlsxWithinBounds(craftXlsxBomb(2, true), small)).toThrow('declares');
  });

  it('refuses a zip of more parts than the bound', () => {
    const many = craftZip(Array.from({ length: 21 }, (_, index) => ({ name: `xl/part${index}.xml`, content: Buffer.from('<a/>') })));
    expect(() => assertXlsxWithinBounds(many, small)).toThrow('21 entries');
    expect(() => assertXlsxWithinBounds(many, { ...small, maxEntries: 21 })).not.toThrow();
  });

  it('tells a file that is no zip from one that is too large', () => {
    expect(() => assertXlsxWithinBounds(Buffer.from('mã,tên\n24728,Nâm N’Jang\n'))).toThrow(XlsxNotAZipError);
    const zip = craftZip([{ name: 'a.xml', content: Buffer.from('<a/>') }]);
    expect(() => assertXlsxWithinBounds(zip.subarray(0, zip.length - 30))).toThrow(XlsxNotAZipError);
  });

  it('answers an uploaded bomb with a Vietnamese message marked too large, before ExcelJS sees it', async () => {
    const bomb = craftXlsxBomb(Math.ceil(XLSX_BOUNDS.maxUncompressedBytes / 1024 / 1024) + 1);
    const refusal = await readSpreadsheetTable(bomb, 'xlsx').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SpreadsheetFileError);
    expect(refusal).toMatchObject({ tooLarge: true, message: 'Bảng tính giải nén quá lớn (giới hạn 64 MB sau giải nén và 2000 phần trong tệp); hãy lưu lại tệp bằng Excel hoặc chia nhỏ' });
  });
});
