/**
 * The evidence benchmark of issue 18. Uploads through the API (production mode: PostgreSQL, not
 * the embedded PGlite; file system storage; the service built as `npm start` runs it) of 100 files
 * of 5 MB and 1,000 of 50 KB, as a province sends them: several units' editors at once, each lane
 * one unit's editor uploading to its own assessment. Next to them, in the same run and with the same
 * concurrency, raw copies of the same files on the same disk: hashed on the way and written, once
 * flushed as an acknowledged upload is (the target's baseline) and once left in the page cache.
 * Each is measured in several rounds (every upload round with bytes of its own, since bytes already
 * stored are stored once and cost less), alternating which goes first, and the median is reported.
 * Also the API's peak RSS while uploading, and the XLSX/PDF appendix of a national period (11,000
 * units) next to writing the same rows as CSV. It prints and never fails on a timing.
 *
 *   npm run bench:evidence -- [--large 100] [--small 1000] [--rounds 3] [--units 11000] [--documents-only] [--cpu-prof <dir>]
 */
import { Command } from 'commander';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { DAKNONG_FRAMEWORK_ID } from '@tieuchi/demo/daknong';
import { loadBundledFramework } from '@tieuchi/framework/domain';
import type { Principal } from '@tieuchi/shared/auth';
import { syncPath } from '@tieuchi/shared/evidence-storage';
import { createTestDatabase } from '@tieuchi/shared/testing';
import { appendixPdf, appendixWorkbook, type RankingAppendix } from '@tieuchi/ranking/feature';
import { provisionAccount, startService, until, type ServiceProcess } from '../faults/fault-harness';
import { type BenchFigure, formatReport, runConcurrently } from './bench-report';

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

// Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on.
const ticksPerSecond = 100;

/** CPU seconds (user and system) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU seconds used so far by each PostgreSQL backend serving the database (the API's connections), by process id. */
async function backendCpuSeconds(monitor: Client, database: string): Promise<Map<number, number>> {
  const backends = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  const seconds = new Map<number, number>();
  for (const { pid } of backends.rows) {
    try {
      seconds.set(pid, cpuSecondsOf(pid));
    } catch {
      // The backend ended between the query and the read.
    }
  }
  return seconds;
}

/** CPU seconds the backends used between two readings (a backend that started in between counts whole). */
function backendCpuBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Phase {
  readonly files: number;
  readonly bytes: number;
  readonly seconds: number;
  /** CPU seconds of the process doing the work (the API for uploads, this one for copies). */
  readonly cpuSeconds: number;
  /** CPU seconds of the database's backends (uploads only). */
  readonly databaseCpuSeconds?: number;
}

const mbPerSecond = (phase: Phase): number => phase.bytes / megabyte / phase.seconds;
const filesPerSecond = (phase: Phase): number => phase.files / phase.seconds;
const cpuMicrosecondsPerFile = (phase: Phase): number => (phase.cpuSeconds * 1e6) / phase.files;
const databaseCpuMicrosecondsPerFile = (phase: Phase): number => ((phase.databaseCpuSeconds ?? 0) * 1e6) / phase.files;

/** The median of a measure over the rounds. */
function medianOf(phases: readonly Phase[], of: (phase: Phase) => number): number {
  const sorted = phases.map(of).sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

/** The phase of median throughput (rounds are few and odd by default, so it is one measured round). */
function median(phases: readonly Phase[]): Phase {
  const sorted = [...phases].sort((a, b) => mbPerSecond(a) - mbPerSecond(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] as Phase;
}

/** "min–max" of the rounds' throughput, so the reader sees how much the figure swung. */
function spread(phases: readonly Phase[], of: (phase: Phase) => number, digits = 0): string {
  const values = phases.map(of);
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

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

async function uploadAll(api: ServiceProcess, editors: readonly Editor[], files: readonly BenchFile[], concurrency: number, database: { monitor: Client; name: string }): Promise<Phase> {
  let bytes = 0;
  const pid = api.child.pid as number;
  const cpuBefore = cpuSecondsOf(pid);
  const backendsBefore = await backendCpuSeconds(database.monitor, database.name);
  const began = performance.now();
  await runConcurrently(files.length, concurrency, async (index, lane) => {
    const file = files[index] as BenchFile;
    const editor = editors[lane % editors.length] as Editor;
    const answer = await uploadFile(api.port, editor.bearer, editor.unitCode, file.path, `minh chứng số ${index + 1}.pdf`);
    if (answer.status !== 201) throw new Error(`upload ${index}: ${answer.status} ${answer.body}`);
    if ((JSON.parse(answer.body) as { sha256?: string }).sha256 !== file.sha256) throw new Error(`upload ${index}: the stored hash differs from the file's`);
    bytes += file.size;
  });
  const seconds = (performance.now() - began) / 1000;
  const databaseCpuSeconds = backendCpuBetween(backendsBefore, await backendCpuSeconds(database.monitor, database.name));
  return { files: files.length, bytes, seconds, cpuSeconds: cpuSecondsOf(pid) - cpuBefore, databaseCpuSeconds };
}

interface Editor {
  readonly unitCode: string;
  readonly bearer: string;
}

/**
 * The raw floor: each file read, hashed on the way and written to a new file, nothing else.
 * `durable`: the bytes and the new name are flushed to disk before the copy counts as done (file,
 * then folder), the least an acknowledged upload that survives a crash must do.
 */
async function copyAll(files: readonly BenchFile[], target: string, concurrency: number, durable: boolean): Promise<Phase> {
  mkdirSync(target);
  let bytes = 0;
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  await runConcurrently(files.length, concurrency, async (index) => {
    const from = (files[index] as BenchFile).path;
    const hash = createHash('sha256');
    const hashing = new Transform({ transform: (chunk: Buffer, _encoding, done) => done(null, hash.update(chunk) && chunk) });
    await pipeline(createReadStream(from), hashing, createWriteStream(join(target, basename(from)), { flush: durable }));
    hash.digest('hex');
    if (durable) await syncPath(target);
    bytes += statSync(from).size;
  });
  const seconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const phase = { files: files.length, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  // Removed at once: unflushed copies go before the kernel writes them back, so they don't slow what comes next.
  rmSync(target, { recursive: true, force: true });
  return phase;
}

interface BenchFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Files to upload, written and flushed before anything is timed: in the page cache, clean, so no writeback of them lands on a measurement. */
async function writeFiles(folder: string, count: number, size: number, prefix: string): Promise<BenchFile[]> {
  const files = Array.from({ length: count }, (_, index) => {
    const path = join(folder, `${prefix}-${index}.pdf`);
    const content = pdfLike(size);
    writeFileSync(path, content);
    return { path, size, sha256: createHash('sha256').update(content).digest('hex') };
  });
  for (const file of files) await syncPath(file.path);
  await syncPath(folder);
  return files;
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

/** The national appendix as XLSX and PDF, next to the same rows written as CSV, built in this process. */
async function documentFigures(units: number, log: (message: string) => void): Promise<{ figures: BenchFigure[]; notes: string[] }> {
  log(`the national appendix (${units} units) as XLSX, PDF and CSV …`);
  const appendix = nationalAppendix(units);
  const xlsx = await timedSeconds(() => appendixWorkbook(appendix));
  const pdf = await timedSeconds(() => appendixPdf(appendix));
  const csv = await timedSeconds(async () => Buffer.from(appendix.rows.map((row) => [row.rank, JSON.stringify(row.unitName), row.score, row.level, row.change ?? ''].join(',')).join('\n')));
  return {
    figures: [
      { name: `XLSX appendix, ${units} units`, unit: 'ms', ours: xlsx.seconds * 1000, baseline: csv.seconds * 1000, targetAtMost: 10_000 },
      { name: `PDF appendix, ${units} units`, unit: 'ms', ours: pdf.seconds * 1000, baseline: csv.seconds * 1000, targetAtMost: 10_000 },
    ],
    notes: [`XLSX ${(xlsx.result.length / megabyte).toFixed(1)} MB, PDF ${(pdf.result.length / megabyte).toFixed(1)} MB; documents built in this process, not through the HTTP endpoint`],
  };
}

async function timedSeconds<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const began = performance.now();
  const result = await work();
  return { seconds: (performance.now() - began) / 1000, result };
}

interface SizeClass {
  readonly label: string;
  readonly concurrency: number;
  /** One set of files per round. */
  readonly rounds: readonly (readonly BenchFile[])[];
  readonly uploads: Phase[];
  readonly flushedCopies: Phase[];
  readonly cachedCopies: Phase[];
  peakRssMb: number;
}

async function main(): Promise<void> {
  const options = new Command('bench:evidence')
    .option('--large <n>', 'files of 5 MB', Number, 100)
    .option('--small <n>', 'files of 50 KB', Number, 1_000)
    .option('--rounds <n>', 'rounds of uploads and of copies; the median is reported', Number, 3)
    .option('--units <n>', 'units of the national appendix (0: no documents)', Number, 11_000)
    .option('--documents-only', 'only the national appendix (XLSX and PDF), no uploads')
    .option('--cpu-prof <dir>', 'write a CPU profile of the API (node --cpu-prof) into this folder')
    .parse(process.argv)
    .opts<{ large: number; small: number; rounds: number; units: number; documentsOnly?: boolean; cpuProf?: string }>();
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  if (options.documentsOnly) {
    const loadBefore = loadAverage();
    const documents = await documentFigures(options.units, log);
    process.stdout.write(
      formatReport('National documents (issue 18)', documents.figures, [...documents.notes, `load average before ${loadBefore}, at the end ${loadAverage()}, on ${cpus().length} cores`]),
    );
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'tieuchi-bench-evidence-'));
  const database = await createTestDatabase('bench_evidence');
  let api: ServiceProcess | undefined;
  let monitor: Client | undefined;
  try {
    log(`writing ${options.rounds} rounds of files to upload …`);
    const sizeClass = async (label: string, count: number, size: number, concurrency: number, prefix: string): Promise<SizeClass> => {
      const rounds: BenchFile[][] = [];
      for (let round = 0; round < options.rounds; round += 1) rounds.push(await writeFiles(work, count, size, `${prefix}-${round}`));
      return { label, concurrency, rounds, uploads: [], flushedCopies: [], cachedCopies: [], peakRssMb: 0 };
    };
    const large = await sizeClass(`${options.large} × 5 MB`, options.large, 5 * megabyte, largeConcurrency, 'large');
    const small = await sizeClass(`${options.small} × 50 KB`, options.small, 50 * 1024, smallConcurrency, 'small');

    log('starting the API (production mode, PostgreSQL, file-system storage) with the Đắk Nông demo …');
    const uploadedMb = (options.rounds * (options.large * 5 * megabyte + options.small * 50 * 1024)) / megabyte;
    api = await startService(
      'api',
      {
        EVENT_STORE: 'postgres',
        DATABASE_URL: database.connectionString,
        RUN_WORKER: 'false',
        EVIDENCE_MAX_FILE_MB: '25',
        EVIDENCE_MAX_ASSESSMENT_MB: String(Math.ceil(uploadedMb * 1.1) + 1),
      },
      ['--demo'],
      options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [],
    );
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
    const backends = new Client({ connectionString: database.connectionString });
    monitor = backends;
    await backends.connect();
    const idle = memoryOf(pid);
    const loadBefore = loadAverage();

    const uploadRound = async (size: SizeClass, round: number): Promise<void> => {
      resetPeak(pid);
      size.uploads.push(await uploadAll(ready, editors, size.rounds[round] as BenchFile[], size.concurrency, { monitor: backends, name: database.name }));
      size.peakRssMb = Math.max(size.peakRssMb, memoryOf(pid).peakMb);
    };
    const copyRound = async (size: SizeClass, round: number): Promise<void> => {
      const files = size.rounds[round] as BenchFile[];
      size.flushedCopies.push(await copyAll(files, join(work, `flushed-${round}`), size.concurrency, true));
      size.cachedCopies.push(await copyAll(files, join(work, `cached-${round}`), size.concurrency, false));
    };
    for (let round = 0; round < options.rounds; round += 1) {
      for (const size of [large, small]) {
        log(`round ${round + 1}/${options.rounds}: ${size.label}, ${size.concurrency} at a time: uploads and raw copies …`);
        // Which goes first alternates, so a drift in the machine's load falls on both alike.
        if (round % 2 === 0) {
          await uploadRound(size, round);
          await copyRound(size, round);
        } else {
          await copyRound(size, round);
          await uploadRound(size, round);
        }
      }
    }
    const loadAfter = loadAverage();

    const documents = options.units > 0 ? await documentFigures(options.units, log) : { figures: [], notes: [] };

    const uploadFigures = (size: SizeClass): BenchFigure[] => [
      { name: `upload ${size.label}, ${size.concurrency} at a time`, unit: 'MB/s', ours: mbPerSecond(median(size.uploads)), baseline: mbPerSecond(median(size.flushedCopies)), targetRatio: 0.5 },
      { name: `  the same, next to the unflushed copy`, unit: 'MB/s', ours: mbPerSecond(median(size.uploads)), baseline: mbPerSecond(median(size.cachedCopies)) },
    ];
    const roundRatios = (size: SizeClass): string =>
      size.uploads.map((upload, round) => `${((mbPerSecond(upload) / mbPerSecond(size.flushedCopies[round] as Phase)) * 100).toFixed(0)} %`).join(', ');
    const spreads = (size: SizeClass): string =>
      `${size.label}: uploads ${spread(size.uploads, mbPerSecond, 1)} MB/s (${spread(size.uploads, filesPerSecond)} files/s), flushed copies ${spread(size.flushedCopies, mbPerSecond, 1)} MB/s, unflushed copies ${spread(size.cachedCopies, mbPerSecond, 1)} MB/s; each round's upload next to its flushed copy: ${roundRatios(size)}`;
    const figures: BenchFigure[] = [
      ...uploadFigures(large),
      ...uploadFigures(small),
      { name: 'files per second, 50 KB', unit: 'files/s', ours: filesPerSecond(median(small.uploads)), baseline: filesPerSecond(median(small.flushedCopies)) },
      ...[large, small].flatMap((size): BenchFigure[] => [
        { name: `API CPU per upload, ${size.label}`, unit: 'µs', ours: medianOf(size.uploads, cpuMicrosecondsPerFile), baseline: medianOf(size.flushedCopies, cpuMicrosecondsPerFile) },
        { name: `  database CPU per upload`, unit: 'µs', ours: medianOf(size.uploads, databaseCpuMicrosecondsPerFile) },
      ]),
      { name: 'API peak RSS, 5 MB uploads', unit: 'MB', ours: large.peakRssMb, baseline: idle.rssMb, targetAtMost: 300 },
      { name: 'API peak RSS, 50 KB uploads', unit: 'MB', ours: small.peakRssMb, baseline: idle.rssMb, targetAtMost: 300 },
      ...documents.figures,
    ];
    process.stdout.write(
      formatReport('Evidence uploads and national documents (issue 18)', figures, [
        `uploads: each of ${unitCodes.length} Đắk Nông communes' editors uploads to its own assessment, ${largeConcurrency} (5 MB) or ${smallConcurrency} (50 KB) at a time, as a province's units do at once; the copies run with the same concurrency`,
        'an upload is acknowledged only once its bytes and its name are on disk (fsync of the file, then of its folder) and its record committed; the baseline the target is judged against does the same durable file work: each file read, hashed (SHA-256) and written, file and folder flushed. The unflushed copy (left in the page cache) is shown for reference: no durable upload can reach it',
        `median of ${options.rounds} rounds, each round with files of its own, uploads and copies alternating which goes first; spread (min–max): ${spreads(large)}; ${spreads(small)}`,
        'the RSS baseline is the idle API before the uploads; the peak is the highest of the rounds',
        "CPU per upload: the API process's user and system time, and that of the PostgreSQL backends serving it, over a round divided by its files (less swayed by the machine's load than throughput); its baseline is this process's CPU per file of the flushed copy",
        ...documents.notes,
        `load average before the uploads ${loadBefore}, after them ${loadAfter}, at the end ${loadAverage()}, on ${cpus().length} cores`,
      ]),
    );
  } finally {
    await monitor?.end();
    await api?.stop();
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
