/**
 * The evidence benchmark of issue 18. Uploads through the API (production mode: PostgreSQL, file
 * system storage, the service built as `npm start` runs it) of 100 files of 5 MB and 1,000 of
 * 50 KB, as a province sends them: several units' editors at once, each lane one unit's editor
 * uploading to its own assessment. Next to them, a raw streamed copy of the same files on the same
 * disk with the same concurrency, measured in the same run;
 * the API's peak RSS while uploading; and the XLSX/PDF appendix of a national period (11,000
 * units) next to writing the same rows as CSV. It prints and never fails on a timing.
 *
 *   npm run bench:evidence -- [--large 100] [--small 1000] [--units 11000]
 */
import { Command } from 'commander';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { DAKNONG_FRAMEWORK_ID } from '@tieuchi/demo/daknong';
import { loadBundledFramework } from '@tieuchi/framework/domain';
import type { Principal } from '@tieuchi/shared/auth';
import { createTestDatabase } from '@tieuchi/shared/testing';
import { appendixPdf, appendixWorkbook, type RankingAppendix } from '@tieuchi/ranking/feature';
import { provisionAccount, startService, until, type ServiceProcess } from '../faults/fault-harness';
import { type BenchFigure, formatReport, runConcurrently } from './bench-report';
import { cpus } from 'node:os';

const periodId = 'bench-evidence-2020';
// Communes of Đắk Nông (the demo's units): lane n uploads for the n-th.
const unitCodes = ['24728', '24618', '24619', '24628', '24616', '24620', '24622', '24625', '24631', '24634', '24637', '24643', '24646', '24649', '24652', '24655'];
const largeConcurrency = 4;
const smallConcurrency = 16;
const megabyte = 1024 * 1024;

/** A file whose first bytes make it a PDF to the content sniffer; the rest is random, so no two are stored once. */
function pdfLike(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n%âãÏÓ\n');
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

/** Resident set now and its peak since the last reset, in MB, from /proc (Linux). */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Resets the peak resident set (VmHWM) so the peak that follows is the uploads' own. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

interface Phase {
  readonly files: number;
  readonly bytes: number;
  readonly seconds: number;
}

const mbPerSecond = (phase: Phase): number => phase.bytes / megabyte / phase.seconds;

/** One multipart upload streamed from disk, as a browser sends it; answers the status and the body. */
function uploadFile(port: number, bearer: string, unitCode: string, path: string, name: string): Promise<{ status: number; body: string }> {
  const boundary = `----tieuchi-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(name)}\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/periods/${periodId}/assessments/${unitCode}/evidence`,
        headers: { authorization: bearer, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + statSync(path).size + tail.length },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path, { highWaterMark: 256 * 1024 });
    file.on('error', reject);
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

async function uploadAll(api: ServiceProcess, editors: readonly Editor[], files: readonly BenchFile[], concurrency: number): Promise<Phase> {
  let bytes = 0;
  const began = performance.now();
  await runConcurrently(files.length, concurrency, async (index, lane) => {
    const file = files[index] as BenchFile;
    const editor = editors[lane % editors.length] as Editor;
    const answer = await uploadFile(api.port, editor.bearer, editor.unitCode, file.path, `minh chứng số ${index + 1}.pdf`);
    if (answer.status !== 201) throw new Error(`upload ${index}: ${answer.status} ${answer.body}`);
    if ((JSON.parse(answer.body) as { sha256?: string }).sha256 !== file.sha256) throw new Error(`upload ${index}: the stored hash differs from the file's`);
    bytes += file.size;
  });
  return { files: files.length, bytes, seconds: (performance.now() - began) / 1000 };
}

interface Editor {
  readonly unitCode: string;
  readonly bearer: string;
}

/** The raw floor: each file read, hashed on the way and written to disk, with nothing else (`durable`: flushed to disk, as an acknowledged upload is). */
async function copyAll(files: readonly BenchFile[], target: string, concurrency: number, how: 'stream' | 'durable' | 'copyFile'): Promise<Phase> {
  let bytes = 0;
  const began = performance.now();
  await runConcurrently(files.length, concurrency, async (index) => {
    const from = (files[index] as BenchFile).path;
    const to = join(target, `${how}-${index}-${basename(from)}`);
    if (how === 'copyFile') {
      await copyFile(from, to);
    } else {
      const hash = createHash('sha256');
      const hashing = new Transform({ transform: (chunk: Buffer, _encoding, done) => done(null, hash.update(chunk) && chunk) });
      await pipeline(createReadStream(from), hashing, createWriteStream(to, { flush: how === 'durable' }));
      hash.digest('hex');
    }
    bytes += statSync(from).size;
  });
  return { files: files.length, bytes, seconds: (performance.now() - began) / 1000 };
}

interface BenchFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

function writeFiles(folder: string, count: number, size: number, prefix: string): BenchFile[] {
  return Array.from({ length: count }, (_, index) => {
    const path = join(folder, `${prefix}-${index}.pdf`);
    const content = pdfLike(size);
    writeFileSync(path, content);
    return { path, size, sha256: createHash('sha256').update(content).digest('hex') };
  });
}

function nationalAppendix(units: number): RankingAppendix {
  const levels = ['Mức I', 'Mức II', 'Mức III', 'Mức IV'];
  return {
    title: ['PHỤ LỤC', 'KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM 2020', 'Đơn vị cấp xã — phần điều kiện sẵn sàng'],
    decisionLine: '(Kèm theo Quyết định số 1234/QĐ-BTTTT ngày 10/01/2021)',
    columns: ['STT', 'Đơn vị', 'Điểm phần điều kiện sẵn sàng', 'Xếp mức', 'Thay đổi so với năm trước'],
    rows: Array.from({ length: units }, (_, index) => ({
      rank: index + 1,
      unitName: `Xã Đắk Nguyễn Thị Ngọc Ánh ${index + 1}`,
      score: Math.round((100 - (index * 90) / units) * 100) / 100,
      level: levels[index % 4] as string,
      change: index % 7 === 0 ? null : ((index % 11) - 5) / 4,
    })),
    notAssessedHeading: 'Đơn vị chưa đánh giá (0)',
    notAssessedColumns: ['STT', 'Đơn vị', 'Lý do chưa đánh giá'],
    notAssessed: [],
    note: 'Ghi chú: đơn vị xếp theo điểm giảm dần.',
    fileName: 'phu-luc-quoc-gia',
  };
}

async function timedSeconds<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const began = performance.now();
  const result = await work();
  return { seconds: (performance.now() - began) / 1000, result };
}

async function main(): Promise<void> {
  const options = new Command('bench:evidence')
    .option('--large <n>', 'files of 5 MB', Number, 100)
    .option('--small <n>', 'files of 50 KB', Number, 1_000)
    .option('--units <n>', 'units of the national appendix', Number, 11_000)
    .parse(process.argv)
    .opts<{ large: number; small: number; units: number }>();
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  const work = mkdtempSync(join(tmpdir(), 'tieuchi-bench-evidence-'));
  const database = await createTestDatabase('bench_evidence');
  let api: ServiceProcess | undefined;
  try {
    log('writing the files to upload …');
    const large = writeFiles(work, options.large, 5 * megabyte, 'large');
    const small = writeFiles(work, options.small, 50 * 1024, 'small');

    log('starting the API (production mode, file-system storage) with the Đắk Nông demo …');
    api = await startService('api', {
      EVENT_STORE: 'postgres',
      DATABASE_URL: database.connectionString,
      RUN_WORKER: 'false',
      EVIDENCE_MAX_FILE_MB: '25',
      EVIDENCE_MAX_ASSESSMENT_MB: String(Math.ceil(((options.large * 5 * megabyte + options.small * 50 * 1024) / megabyte) * 1.1) + 1),
    }, ['--demo']);
    const ready = api;
    await until(async () => (await ready.request('GET', '/health/ready')).status === 200, 120_000, 'API ready');
    const admin: Principal = { id: 'admin@bench-evidence', roles: ['admin'], unitCode: null, provinceCode: '67', national: false };
    await provisionAccount(database.connectionString, admin);
    const opened = await api.request('POST', '/periods', {
      bearer: await api.bearer(admin),
      body: { periodId, provinceCode: '67', year: 2020, framework: { id: DAKNONG_FRAMEWORK_ID, version: loadBundledFramework(DAKNONG_FRAMEWORK_ID).version }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } },
    });
    if (opened.status !== 201) throw new Error(`opening ${periodId}: ${opened.status} ${opened.body}`);
    const editors: Editor[] = [];
    for (const unitCode of unitCodes) {
      const editor: Principal = { id: `editor.${unitCode}@bench-evidence`, roles: ['unit_editor'], unitCode, provinceCode: '67', national: false };
      await provisionAccount(database.connectionString, editor);
      editors.push({ unitCode, bearer: await api.bearer(editor) });
    }
    const pid = api.child.pid as number;

    const idle = memoryOf(pid);
    resetPeak(pid);
    log(`uploading ${options.large} files of 5 MB (${largeConcurrency} units at a time) …`);
    const uploadLarge = await uploadAll(api, editors, large, largeConcurrency);
    const afterLarge = memoryOf(pid);
    resetPeak(pid);
    log(`uploading ${options.small} files of 50 KB (${smallConcurrency} units at a time) …`);
    const uploadSmall = await uploadAll(api, editors, small, smallConcurrency);
    const afterSmall = memoryOf(pid);

    log('raw copies of the same files …');
    const copies = mkdtempSync(join(work, 'copies-'));
    const streamLarge = await copyAll(large, copies, largeConcurrency, 'stream');
    const streamSmall = await copyAll(small, copies, smallConcurrency, 'stream');
    const durableLarge = await copyAll(large, copies, largeConcurrency, 'durable');
    const durableSmall = await copyAll(small, copies, smallConcurrency, 'durable');
    const copyFileLarge = await copyAll(large, copies, largeConcurrency, 'copyFile');
    const copyFileSmall = await copyAll(small, copies, smallConcurrency, 'copyFile');

    log(`the national appendix (${options.units} units) as XLSX, PDF and CSV …`);
    const appendix = nationalAppendix(options.units);
    const xlsx = await timedSeconds(() => appendixWorkbook(appendix));
    const pdf = await timedSeconds(() => appendixPdf(appendix));
    const csv = await timedSeconds(async () => Buffer.from(appendix.rows.map((row) => [row.rank, JSON.stringify(row.unitName), row.score, row.level, row.change ?? ''].join(',')).join('\n')));

    // Baselines: the same files streamed through SHA-256 and to disk, as the upload path must at least do.
    const figures: BenchFigure[] = [
      { name: `upload ${options.large} × 5 MB, ${largeConcurrency} at a time`, unit: 'MB/s', ours: mbPerSecond(uploadLarge), baseline: mbPerSecond(streamLarge), targetRatio: 0.5 },
      { name: `upload ${options.small} × 50 KB, ${smallConcurrency} at a time`, unit: 'MB/s', ours: mbPerSecond(uploadSmall), baseline: mbPerSecond(streamSmall), targetRatio: 0.5 },
      { name: 'files per second, 50 KB', unit: 'files/s', ours: uploadSmall.files / uploadSmall.seconds, baseline: streamSmall.files / streamSmall.seconds },
      { name: 'API peak RSS, 5 MB uploads', unit: 'MB', ours: afterLarge.peakMb, baseline: idle.rssMb, targetAtMost: 300 },
      { name: 'API peak RSS, 50 KB uploads', unit: 'MB', ours: afterSmall.peakMb, baseline: idle.rssMb, targetAtMost: 300 },
      { name: `XLSX appendix, ${options.units} units`, unit: 'ms', ours: xlsx.seconds * 1000, baseline: csv.seconds * 1000, targetAtMost: 10_000 },
      { name: `PDF appendix, ${options.units} units`, unit: 'ms', ours: pdf.seconds * 1000, baseline: csv.seconds * 1000, targetAtMost: 10_000 },
    ];
    process.stdout.write(
      formatReport('Evidence uploads and national documents (issue 18)', figures, [
        `uploads: each of ${unitCodes.length} Đắk Nông communes' editors uploads to its own assessment, ${largeConcurrency} (5 MB) or ${smallConcurrency} (50 KB) at a time, as a province's units do at once; the copies run with the same concurrency`,
        'baselines: the same files streamed through SHA-256 and then to disk (not flushed); the RSS baseline is the idle API before the uploads',
        `the same copy flushed to disk before it counts as done (fsync on close, as an acknowledged upload is): ${mbPerSecond(durableLarge).toFixed(0)} MB/s (5 MB, uploads ${((mbPerSecond(uploadLarge) / mbPerSecond(durableLarge)) * 100).toFixed(0)} % of it), ${mbPerSecond(durableSmall).toFixed(1)} MB/s (50 KB, uploads ${((mbPerSecond(uploadSmall) / mbPerSecond(durableSmall)) * 100).toFixed(0)} % of it)`,
        `plain copyFile of the same files (kernel copy, no hashing): ${mbPerSecond(copyFileLarge).toFixed(0)} MB/s (5 MB), ${mbPerSecond(copyFileSmall).toFixed(0)} MB/s (50 KB)`,
        `XLSX ${(xlsx.result.length / megabyte).toFixed(1)} MB, PDF ${(pdf.result.length / megabyte).toFixed(1)} MB; documents built in this process, not through the HTTP endpoint`,
        `load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${cpus().length} cores`,
      ]),
    );
  } finally {
    await api?.stop();
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
