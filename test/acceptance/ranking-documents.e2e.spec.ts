import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { loadDaknongDemo, startTestApp, type TestApp } from '../../apps/api/src/testing/test-app';
import { readPublishedRanking } from './http/published-ranking.reader';

const run = promisify(execFile);
const published = readPublishedRanking(join(__dirname, 'fixtures', 'daknong-2019-published.csv'));
/** Where the rendered first pages are left for people to look at (tmp/ is not committed). */
const pictures = join(__dirname, '..', '..', 'tmp', 'ranking-documents');
const TIER_PARTS = [
  ['district', 'readiness', 8],
  ['district', 'results', 8],
  ['commune', 'readiness', 71],
  ['commune', 'results', 71],
] as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * Quyết định 47/QĐ-UBND (10/01/2020) of Đắk Nông: its appendix tables, exported from the demo
 * history played through the deciders and projected as in production, against the published
 * figures cell by cell.
 */
describe('the Đắk Nông 2019 decision appendix as XLSX and PDF, and the open data', () => {
  let t: TestApp;
  const get = (path: string) => t.http().get(path).buffer(true).parse(binary);

  beforeAll(async () => {
    t = await startTestApp();
    await loadDaknongDemo(t.eventStore);
    const deadline = Date.now() + 150_000;
    for (const [tier, part, units] of TIER_PARTS) {
      for (;;) {
        const res = await t.http().get(`/periods/daknong-2019/rankings/${tier}/${part}`);
        if (res.status === 200 && res.body.decision !== null && res.body.counts.units === units) break;
        if (Date.now() > deadline) throw new Error(`${tier}/${part}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    mkdirSync(pictures, { recursive: true });
  }, 180_000);

  afterAll(() => t?.close());

  it.each(TIER_PARTS)('XLSX of %s/%s matches the published table cell by cell', async (tier, part) => {
    const res = await get(`/periods/daknong-2019/rankings/${tier}/${part}/appendix.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as ArrayBuffer);
    const sheet = workbook.getWorksheet('Phụ lục')!;
    expect(sheet.getCell('A1').value).toBe('PHỤ LỤC');
    expect(sheet.getCell('A2').value).toBe('KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM 2019');
    expect(sheet.getCell('A4').value).toBe('(Kèm theo Quyết định số 47/QĐ-UBND ngày 10/01/2020)');
    expect([1, 2, 3, 4, 5].map((c) => sheet.getRow(6).getCell(c).value)).toEqual([
      'STT',
      'Đơn vị',
      `Điểm phần ${part === 'readiness' ? 'điều kiện sẵn sàng' : 'kết quả xây dựng'}`,
      'Xếp mức',
      'Thay đổi so với năm trước',
    ]);
    const expected = published.filter((row) => row.tier === tier && row.part === part);
    const rows = expected.map((_, index) => [1, 2, 3, 4, 5].map((c) => sheet.getRow(7 + index).getCell(c).value));
    expect(rows.map(([rank, unit, score, level, change]) => ({ rank, unit: String(unit).normalize('NFC').toLowerCase().endsWith(String(expected[Number(rank) - 1]?.unitName).normalize('NFC').toLowerCase()), score, level, change }))).toEqual(
      expected.map((row) => ({ rank: row.rank, unit: true, score: row.score, level: row.level, change: row.change })),
    );
    // Nothing after the ranked units but the closing note.
    expect(sheet.getRow(7 + expected.length).getCell(1).value).toBeNull();
  });

  it.each(TIER_PARTS)('PDF of %s/%s reads back with every diacritic and figure; page 1 saved as PNG', async (tier, part) => {
    const res = await get(`/periods/daknong-2019/rankings/${tier}/${part}/appendix.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const file = join(pictures, `daknong-2019-${tier}-${part}.pdf`);
    writeFileSync(file, res.body as Buffer);
    const { stdout: fonts } = await run('pdffonts', [file]);
    expect(fonts).toMatch(/Roboto.*TrueType.*yes/); // embedded
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
    const text = stdout.normalize('NFC');
    const lines = [
      'PHỤ LỤC',
      'KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM 2019',
      `Đơn vị ${tier === 'district' ? 'cấp huyện' : 'cấp xã'} — phần ${part === 'readiness' ? 'điều kiện sẵn sàng' : 'kết quả xây dựng'}`,
      '(Kèm theo Quyết định số 47/QĐ-UBND ngày 10/01/2020)',
      'Xếp mức',
    ];
    for (const line of lines) expect(text).toContain(line);
    // Column heads wrap inside their cells: word by word.
    const heads = ['Thay đổi so với năm trước', `Điểm phần ${part === 'readiness' ? 'điều kiện sẵn sàng' : 'kết quả xây dựng'}`];
    for (const word of heads.join(' ').split(' ')) expect(text).toContain(word);
    const expected = published.filter((row) => row.tier === tier && row.part === part);
    for (const row of expected) {
      const change = `${row.change > 0 ? '+' : '−'}${String(Math.abs(row.change)).replace('.', ',')}`;
      const cells = [String(row.rank), row.unitName, row.score.toFixed(2).replace('.', ','), row.level, change];
      expect(text).toMatch(new RegExp(`^\\s*${cells.map(escapeRegExp).join('\\s+')}\\s*$`, 'imu'));
    }
    // Every accented letter the document was written with came back out of it.
    const written = [...new Set([...lines.join(''), ...heads.join(''), ...expected.map((row) => row.unitName).join('')].filter((c) => c > '\u007f'))];
    expect(written.filter((c) => !text.includes(c))).toEqual([]);
    await run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(pictures, `daknong-2019-${tier}-${part}`)]);
  });

  it('publishes the ranking as open data, CSV and JSON, with the decision on every row', async () => {
    const json = await t.http().get('/periods/daknong-2019/rankings/district/readiness/open-data.json');
    expect(json.status).toBe(200);
    expect(json.body.rows).toHaveLength(8);
    expect(json.body.rows[0]).toMatchObject({ periodId: 'daknong-2019', year: 2019, decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10', rank: 1, unitCode: '660', score: 43.8, level: 'II', change: -1.9 });
    const csv = await get('/periods/daknong-2019/rankings/commune/readiness/open-data.csv');
    const lines = (csv.body as Buffer).toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(72);
    expect(lines[0]).toBe('periodId,year,decisionNumber,decisionDate,tier,part,rank,unitCode,unitName,score,level,previousScore,change');
    expect(lines[1]).toMatch(/^daknong-2019,2019,47\/QĐ-UBND,2020-01-10,commune,readiness,1,24728,Nâm N'Jang,21\.5,IV,18\.5,3$/u);
  });
});
