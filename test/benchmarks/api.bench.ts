import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { constants } from 'node:perf_hooks';
import { Command, Option } from 'commander';
import { Pool } from 'pg';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { buildDaknongHistory, DAKNONG_FRAMEWORK_ID, loadDaknongDemoInput } from '@tieuchi/demo/daknong';
import { type CriterionDefinition, loadBundledFramework } from '@tieuchi/framework/domain';
import { LocalKeySet, LocalTokenIssuer, type Principal } from '@tieuchi/shared/auth';
import { loadConfig } from '@tieuchi/shared/config';
import { createTestDatabase, sparePort } from '@tieuchi/shared/testing';
import { builtServiceEntry } from './built-services';
import { cpuSecondsBetween, cpuSecondsByPid, cpuSecondsOf, machineBusySeconds, runQueueSecondsOf } from './process-cpu';
import { provisionAccount } from '../faults/fault-harness';

/**
 * The API benchmark of issue 4 (ARCHITECTURE.md §5): the production shape, an API process
 * (RUN_WORKER=false) and a worker process over a fresh PostgreSQL database, started on a spare
 * port with the Đắk Nông demo loaded. Figures are client-side latencies over keep-alive HTTP from
 * this process; each sits beside a baseline measured in the same run. It prints and never fails on
 * a timing.
 */

export type ApiBenchmarkSize = 'smoke' | 'full';

export interface ApiBenchmarkOptions {
  readonly size: ApiBenchmarkSize;
  /** Progress lines (the CLI sends them to stderr). */
  readonly log?: (message: string) => void;
  /** Writes every fixed-rate request (phase, ms since the phase began, latency ms) here as CSV, to see when the tail happens. */
  readonly latencyLog?: string;
}

export interface ApiBenchFigure {
  readonly name: string;
  readonly unit: 'ms' | '/s';
  readonly ours: number;
  readonly baselineName: string;
  readonly baseline: number;
  /** The target: at most this many ms (or at least this many /s). */
  readonly target?: number;
}

export interface ApiBenchmarkResult {
  readonly size: ApiBenchmarkSize;
  readonly figures: readonly ApiBenchFigure[];
  readonly report: string;
  /** Responses that were not 2xx, per phase. */
  readonly errors: Readonly<Record<string, number>>;
}

export const apiMeasures = {
  commandThroughput: 'score-criterion throughput, 50 clients',
  commandP50: 'score-criterion p50, 50 clients',
  commandP99: 'score-criterion p99, 50 clients',
  fixedCommandP50: 'score-criterion p50 at 200/s',
  fixedCommandP99: 'score-criterion p99 at 200/s',
  rankingP50: 'public ranking p50 at 1,000/s',
  rankingP99: 'public ranking p99 at 1,000/s',
  lagP50: 'projection lag p50 at 200 commands/s',
  lagP99: 'projection lag p99 at 200 commands/s',
} as const;

interface Plan {
  readonly closedSeconds: number;
  readonly fixedSeconds: number;
  readonly rankingSeconds: number;
  readonly rankingRate: number;
  readonly rawQueries: number;
  /** Unmeasured traffic first, so JIT compilation and cold caches do not land in the figures. */
  readonly warmupSeconds: number;
}

const plans: Record<ApiBenchmarkSize, Plan> = {
  full: { closedSeconds: 15, fixedSeconds: 20, rankingSeconds: 20, rankingRate: 1_000, rawQueries: 5_000, warmupSeconds: 3 },
  smoke: { closedSeconds: 2, fixedSeconds: 2, rankingSeconds: 2, rankingRate: 1_000, rawQueries: 200, warmupSeconds: 1 },
};

const clients = 50;
const commandRate = 200;
/** One in this many fixed-rate commands is followed until the read model shows it. */
const lagSampleEvery = 4;
/**
 * How often the lag probe polls the read model. Its queries load the same two CPUs it measures
 * (every 2 ms was some 400 queries a second at 200 commands/s); 5 ms is fine enough against a
 * 200 ms target.
 */
const lagPollMs = 5;
export const periodId = 'bench-2020';
export const rankingPath = '/periods/daknong-2019/rankings/commune/readiness';
const workspaceRoot = resolve(__dirname, '..', '..');
const gcPauseRecorder = join(__dirname, 'gc-pause-recorder.cjs');
const openLoopGenerator = join(__dirname, 'open-loop-generator.cjs');
const sharedOpenLoop = require('./open-loop.cjs') as {
  openLoop: (rate: number, seconds: number, send: () => Promise<Answer>) => Promise<OpenLoopResult>;
  describeFailure: (failure: unknown) => string;
};

export async function runApiBenchmark(options: ApiBenchmarkOptions): Promise<ApiBenchmarkResult> {
  const plan = plans[options.size];
  const log = options.log ?? (() => undefined);
  const database = await createTestDatabase('bench_api');
  const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-bench-api-'));
  const port = await sparePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EVENT_STORE: 'postgres',
    DATABASE_URL: database.connectionString,
    DATA_DIR: dataDir,
    PORT: String(port),
    RUN_WORKER: 'false',
    LOG_LEVEL: 'warn',
    BENCH_GC_LOG: join(dataDir, 'api-gc-pauses.log'),
    REDIS_URL: '',
    // Every fixed-rate read comes from one address: the public ranking's per-address limit would answer most of them 429.
    PUBLIC_RATE_LIMIT: '0',
  };
  const children: ChildProcess[] = [];
  const pool = new Pool({ connectionString: database.connectionString, max: 8, application_name: 'tieuchi-bench-api' });
  const http = new HttpClient(port);
  // The client's own GC pauses; the recording stops before dataDir is removed, and with the run
  // when the benchmark runs inside a test process that goes on.
  const clientGcLog = join(dataDir, 'client-gc-pauses.log');
  let stopClientGcLog: () => void = () => undefined;
  // The fixed-rate GETs (the HTTP floor and the ranking) come from a lean process of their own.
  const generatorGcLog = join(dataDir, 'generator-gc-pauses.log');
  const generator = new LoadGenerator(port, generatorGcLog);
  try {
    // The demo is loaded before the worker starts: its history already holds the publications the worker's process would otherwise race to append.
    log('starting the API (RUN_WORKER=false) and loading the Đắk Nông demo …');
    children.push(startProcess('api', ['--demo'], env, log));
    await until(async () => (await http.get('/health/ready').catch(() => ({ status: 0 }))).status === 200, 180_000, 'API ready');
    log('starting the worker …');
    children.push(startProcess('worker', [], env, log));
    await until(async () => (await http.get(rankingPath)).status === 200, 180_000, 'published ranking projected');

    const issuer = new LocalTokenIssuer(await LocalKeySet.loadOrCreate(dataDir), { issuer: loadConfig().localIssuer, audience: loadConfig().localAudience });
    // Signed tokens are honoured only for active accounts.
    const adminPrincipal: Principal = { id: 'admin@bench', roles: ['admin'], unitCode: null, provinceCode: '67', national: false };
    await provisionAccount(database.connectionString, adminPrincipal);
    const admin = `Bearer ${await issuer.issue(adminPrincipal)}`;
    const framework = loadBundledFramework(DAKNONG_FRAMEWORK_ID);
    const opened = await http.post('/periods', admin, {
      periodId,
      provinceCode: '67',
      year: 2020,
      framework: { id: DAKNONG_FRAMEWORK_ID, version: framework.version },
      deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
    });
    if (opened.status !== 201) throw new Error(`opening ${periodId}: ${opened.status} ${opened.body}`);

    // One assessment per client, each scored by its own unit's editor.
    const units = demoUnits().slice(0, clients);
    const lanes = await Promise.all(
      units.map(async (unit) => {
        const principal: Principal = { id: `editor.${unit.code}@bench`, roles: ['unit_editor'], unitCode: unit.code, provinceCode: '67', national: false };
        await provisionAccount(database.connectionString, principal);
        const bearer = `Bearer ${await issuer.issue(principal)}`;
        const started = await http.post(`/periods/${periodId}/assessments/${unit.code}`, bearer, {});
        if (started.status !== 201) throw new Error(`starting ${unit.code}: ${started.status} ${started.body}`);
        const criteria = (framework.tiers.find((t) => t.tier === unit.tier)?.parts ?? []).flatMap((p) => p.groups.flatMap((g) => g.criteria));
        return new CommandLane(http, bearer, unit.code, criteria);
      }),
    );
    log(`${lanes.length} assessments started in ${periodId}`);

    log('warming up …');
    await generator.run('/health/live', plan.rankingRate / 2, plan.warmupSeconds);
    await generator.run(rankingPath, plan.rankingRate / 2, plan.warmupSeconds);
    await closedLoop(lanes, plan.warmupSeconds);
    log(`HTTP floor: GET /health/live at ${plan.rankingRate}/s …`);
    const cpu = new CpuMeter(children, generator.pid);
    stopClientGcLog = (require(gcPauseRecorder) as { recordGcPauses: (file: string) => () => void }).recordGcPauses(clientGcLog);
    const floor = await cpu.during('GET /health/live', () => generator.run('/health/live', plan.rankingRate, plan.rankingSeconds));
    log(`public ranking at ${plan.rankingRate}/s …`);
    const ranking = await cpu.during('public ranking', () => generator.run(rankingPath, plan.rankingRate, plan.rankingSeconds));
    log('raw SELECT of the ranking rows …');
    const rawSelect = await rawRankingSelect(pool, plan.rawQueries);
    log('raw INSERT …');
    const rawInsert = await rawInserts(pool, plan.rawQueries);

    log(`score-criterion, ${clients} clients flat out …`);
    const closed = await cpu.during('score-criterion flat out', () => closedLoop(lanes.slice(0, clients), plan.closedSeconds));

    log(`score-criterion at ${commandRate}/s, following every ${lagSampleEvery}th into the read model …`);
    const lags: number[] = [];
    const lagWaits: Promise<void>[] = [];
    const follower = new ReadModelFollower(pool);
    let lagTimeouts = 0;
    let sent = 0;
    const fixed = await cpu.during(`score-criterion at ${commandRate}/s`, () => openLoop(commandRate, plan.fixedSeconds, async () => {
      const lane = lanes[sent % clients]!;
      const follow = sent % lagSampleEvery === 0;
      sent += 1;
      const answer = await lane.next();
      if (follow && answer.status === 200) {
        const answeredAt = performance.now();
        const version = Number((JSON.parse(answer.body) as { version: number }).version);
        lagWaits.push(
          follower.shows(lane.streamName, version).then(
            (seenAt) => void lags.push(seenAt - answeredAt),
            () => void (lagTimeouts += 1),
          ),
        );
      }
      return answer;
    }));
    await Promise.all(lagWaits);

    const figures: ApiBenchFigure[] = [
      { name: apiMeasures.commandThroughput, unit: '/s', ours: closed.perSecond, baselineName: 'raw INSERT, 1 connection', baseline: rawInsert.perSecond },
      { name: apiMeasures.commandP50, unit: 'ms', ours: percentile(closed.latencies, 0.5), baselineName: 'raw INSERT p50', baseline: percentile(rawInsert.latencies, 0.5) },
      { name: apiMeasures.commandP99, unit: 'ms', ours: percentile(closed.latencies, 0.99), baselineName: 'raw INSERT p99', baseline: percentile(rawInsert.latencies, 0.99) },
      { name: apiMeasures.fixedCommandP50, unit: 'ms', ours: percentile(fixed.latencies, 0.5), baselineName: 'GET /health/live p50', baseline: percentile(floor.latencies, 0.5) },
      { name: apiMeasures.fixedCommandP99, unit: 'ms', ours: percentile(fixed.latencies, 0.99), baselineName: 'GET /health/live p99', baseline: percentile(floor.latencies, 0.99), target: 50 },
      { name: apiMeasures.rankingP50, unit: 'ms', ours: percentile(ranking.latencies, 0.5), baselineName: 'raw SELECT p50', baseline: percentile(rawSelect.latencies, 0.5) },
      { name: apiMeasures.rankingP99, unit: 'ms', ours: percentile(ranking.latencies, 0.99), baselineName: 'raw SELECT p99', baseline: percentile(rawSelect.latencies, 0.99), target: 10 },
      { name: apiMeasures.lagP50, unit: 'ms', ours: percentile(lags, 0.5), baselineName: 'raw INSERT p50', baseline: percentile(rawInsert.latencies, 0.5) },
      { name: apiMeasures.lagP99, unit: 'ms', ours: percentile(lags, 0.99), baselineName: 'raw INSERT p99', baseline: percentile(rawInsert.latencies, 0.99), target: 200 },
    ];
    if (options.latencyLog) {
      const phases = { health: floor, ranking, commandsFixedRate: fixed };
      const rows = Object.entries(phases).flatMap(([phase, run]) => (run.timeline ?? []).map(([at, ms]) => `${phase},${at.toFixed(1)},${ms.toFixed(2)}`));
      writeFileSync(options.latencyLog, ['phase,due_ms,latency_ms', ...rows].join('\n') + '\n');
    }
    const errors = { health: floor.errors, ranking: ranking.errors, commandsFlatOut: closed.errors, commandsFixedRate: fixed.errors, lagTimeouts };
    const notes = [
      `size ${options.size}; ${availableParallelism()} CPUs shared by PostgreSQL, the API process (RUN_WORKER=false), the worker process and this client`,
      `Đắk Nông demo (79 units, ${buildDaknongHistory(loadDaknongDemoInput()).events.length.toLocaleString('en-US')} events) loaded; ranking = GET ${rankingPath} anonymously (71 communes)`,
      `flat out: ${clients} clients for ${plan.closedSeconds} s, each scoring the criteria of its own assessment in turn, without If-Match: ${closed.count.toLocaleString('en-US')} commands`,
      `fixed rate: ${commandRate}/s for ${plan.fixedSeconds} s (${fixed.count} sent, achieved ${fixed.achievedRate.toFixed(0)}/s) and ${plan.rankingRate}/s for ${plan.rankingSeconds} s (achieved ${ranking.achievedRate.toFixed(0)}/s); latency counts from the scheduled send, so a queue behind a slow answer is not hidden`,
      `projection lag: from the command's answer until read_model.assessment_summaries shows its version (one query for all awaited streams every ${lagPollMs} ms); ${lags.length} samples`,
      `${plan.warmupSeconds} s of unmeasured traffic of each kind first`,
      `raw baselines on a pg Pool from this process: the two SELECTs the ranking query runs, and a one-row INSERT + COMMIT; ${plan.rawQueries} each`,
      `CPU per request, from /proc (ms; API process, worker process, PostgreSQL, this client; the whole machine's busy share of its CPUs): ${cpu.report()}`,
      `GC pauses of the API process per phase (scavenges; mark-compacts; all pauses together; the longest): ${await cpu.gcReport(join(dataDir, 'api-gc-pauses.log'))}`,
      `GC pauses of this client per phase (a pause here delays the sends and answers it measures): ${await cpu.gcReport(clientGcLog)}`,
      `GC pauses of the load generator that sends the fixed-rate GETs: ${await cpu.gcReport(generatorGcLog)}`,
      `non-2xx answers: ${JSON.stringify(errors)}`,
      ...Object.entries({ health: floor, ranking, commandsFlatOut: closed, commandsFixedRate: fixed })
        .filter(([, run]) => run.firstError !== undefined)
        .map(([phase, run]) => `first failure in ${phase}: ${run.firstError}`),
    ];
    return { size: options.size, figures, errors, report: formatApiReport(`tieuchi API benchmark (${options.size})`, figures, notes) };
  } finally {
    stopClientGcLog();
    generator.close();
    http.close();
    await pool.end();
    await Promise.all(children.map((child) => stopProcess(child)));
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatApiReport(title: string, figures: readonly ApiBenchFigure[], notes: readonly string[]): string {
  const rows = figures.map((f) => {
    const verdict = f.target === undefined ? '—' : `≤ ${f.target} ms: ${f.ours <= f.target ? 'meets' : 'MISSES'}`;
    return [f.name, `${fmt(f.ours)} ${f.unit}`, `${fmt(f.baseline)} ${f.unit} (${f.baselineName})`, verdict];
  });
  const header = ['measure', 'tieuchi', 'baseline in the same run', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', ...notes.map((note) => `* ${note}`)].join('\n');
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** open-loop-generator.cjs in a child process: one fixed-rate GET run at a time. */
export class LoadGenerator {
  private readonly child: ChildProcess;
  private runs = 0;

  constructor(
    private readonly port: number,
    gcLog: string,
  ) {
    // execArgv: [] keeps this process's compiler hook (-r tools/register.cjs) out of the generator.
    this.child = fork(openLoopGenerator, [], { execArgv: [], env: { ...process.env, BENCH_GC_LOG: gcLog }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  run(path: string, rate: number, seconds: number): Promise<Run> {
    const id = (this.runs += 1);
    return new Promise((resolveRun, reject) => {
      if (!this.child.connected) return reject(new Error(`the load generator is gone (exit code ${this.child.exitCode})`));
      const stop = (error: Error | null, run?: Run) => {
        clearTimeout(deadline);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolveRun(run!);
      };
      const onExit = (code: number | null) => stop(new Error(`the load generator exited with ${code}`));
      const onMessage = (message: { id: number; result?: OpenLoopResult; error?: string }) => {
        if (message.id !== id) return;
        if (message.error !== undefined || !message.result) stop(new Error(`load generator: ${message.error}`));
        else stop(null, runOf(message.result));
      };
      // A request the API never answers would otherwise hold the benchmark forever.
      const deadline = setTimeout(() => {
        this.child.kill('SIGKILL');
        stop(new Error(`the load generator's run of ${path} took over ${seconds + 60} s`));
      }, (seconds + 60) * 1_000);
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send({ id, port: this.port, path, rate, seconds }, (error) => {
        if (error) stop(error);
      });
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

/** Keep-alive HTTP/1.1 to the API under test; plain node:http keeps the client's own cost small and known. */
export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(private readonly port: number) {}

  get(path: string, bearer?: string): Promise<Answer> {
    return this.send('GET', path, bearer, undefined);
  }

  post(path: string, bearer: string, body: object): Promise<Answer> {
    return this.send('POST', path, bearer, JSON.stringify(body));
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, bearer: string | undefined, body: string | undefined): Promise<Answer> {
    return new Promise((resolvePromise, reject) => {
      const headers: Record<string, string | number> = {};
      if (bearer) headers['authorization'] = bearer;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** One unit editor scoring the criteria of their own assessment in turn; its commands never overlap, so none conflicts. */
export class CommandLane {
  private index = 0;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly http: HttpClient,
    private readonly bearer: string,
    private readonly unitCode: string,
    private readonly criteria: readonly CriterionDefinition[],
  ) {}

  get streamName(): string {
    return assessmentStreamName(periodId, this.unitCode);
  }

  /** The next score command, queued behind this lane's previous one. */
  next(): Promise<Answer> {
    const criterion = this.criteria[this.index % this.criteria.length]!;
    const round = Math.floor(this.index / this.criteria.length);
    this.index += 1;
    const answer = this.busy.then(() =>
      this.http.post(`/periods/${periodId}/assessments/${this.unitCode}/criteria/${criterion.code}/score`, this.bearer, {
        answer: answerOf(criterion, round),
        evidence: [],
        explanation: `Số liệu cập nhật lần ${round + 1}`,
      }),
    );
    this.busy = answer.catch(() => undefined);
    return answer;
  }
}

function answerOf(criterion: CriterionDefinition, round: number): { kind: 'value'; value: number | boolean } {
  const share = round % 2 === 0 ? 0.8 : 0.5;
  switch (criterion.rule.kind) {
    case 'yes_no':
      return { kind: 'value', value: round % 2 === 0 };
    case 'manual':
      return { kind: 'value', value: Math.round(criterion.maxPoints * share * 100) / 100 };
    case 'ratio':
      return { kind: 'value', value: Math.round(criterion.rule.target * share) };
    case 'banded':
      return { kind: 'value', value: criterion.rule.bands[0]?.from ?? 0 };
  }
}

export interface Run {
  readonly latencies: number[];
  /** Fixed-rate runs: when each request was due (ms since the run began) and its latency. */
  readonly timeline?: readonly (readonly [number, number])[];
  readonly count: number;
  readonly errors: number;
  /** The first non-2xx answer or failure, so a broken run says why. */
  readonly firstError?: string;
  readonly perSecond: number;
  readonly achievedRate: number;
}

/** open-loop.cjs (shared with the load generator) in this process; its result as a Run. */
export async function openLoop(rate: number, seconds: number, send: () => Promise<Answer>): Promise<Run> {
  return runOf(await sharedOpenLoop.openLoop(rate, seconds, send));
}

/** A run as open-loop.cjs returns it: when each answered request was due and its latency, apart. */
interface OpenLoopResult extends Omit<Run, 'timeline'> {
  readonly due: number[];
}

function runOf({ due, latencies, ...rest }: OpenLoopResult): Run {
  return { ...rest, latencies, timeline: latencies.map((ms, index) => [due[index]!, ms] as const) };
}

/** Every lane sends its next command as soon as the previous one is answered (closed loop). */
async function closedLoop(lanes: readonly CommandLane[], seconds: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    lanes.map(async (lane) => {
      while (performance.now() < end) {
        const sentAt = performance.now();
        const answer = await lane.next().catch((error: unknown) => ({ status: 0, body: describeFailure(error) }));
        latencies.push(performance.now() - sentAt);
        if (answer.status < 200 || answer.status >= 300) {
          errors += 1;
          firstError ??= describeFailure(answer);
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { latencies, count: latencies.length, errors, firstError, perSecond: latencies.length / elapsed, achievedRate: latencies.length / elapsed };
}

/**
 * CPU time the API and worker processes, PostgreSQL and this client spend per request of each
 * phase: a figure this noisy machine cannot blur the way it blurs latency tails, so it shows what a
 * change to the code did. The machine's busy share says how close to saturation a phase ran.
 */
class CpuMeter {
  private readonly phases: string[] = [];
  private readonly windows: { phase: string; from: number; to: number }[] = [];

  constructor(
    private readonly children: readonly ChildProcess[],
    /** The load generator's CPU counts as this client's. */
    private readonly generatorPid: number | undefined,
  ) {}

  async during<T extends { count: number }>(phase: string, run: () => Promise<T>): Promise<T> {
    const cpuBefore = this.children.map((child) => cpuSecondsOf(child.pid));
    const waitedBefore = this.children.map((child) => runQueueSecondsOf(child.pid));
    const [postgresBefore, clientBefore, machineBefore] = [cpuSecondsByPid('postgres'), process.cpuUsage(), machineBusySeconds()];
    const generatorBefore = cpuSecondsOf(this.generatorPid);
    const from = Date.now();
    const result = await run();
    const to = Date.now();
    this.windows.push({ phase, from, to });
    const seconds = (to - from) / 1000;
    const perRequest = (spent: number | null) => (spent === null ? 'n/a' : ((spent * 1000) / result.count).toFixed(2));
    const perSecond = (spent: number | null) => (spent === null ? 'n/a' : ((spent * 1000) / seconds).toFixed(0));
    const services = this.children.map((child, index) => perRequest(difference(cpuBefore[index], cpuSecondsOf(child.pid))));
    const waited = this.children.map((child, index) => perSecond(difference(waitedBefore[index], runQueueSecondsOf(child.pid))));
    const ownUsage = process.cpuUsage(clientBefore);
    const client = (ownUsage.user + ownUsage.system) / 1e6 + (difference(generatorBefore, cpuSecondsOf(this.generatorPid)) ?? 0);
    const machineBusy = difference(machineBefore, machineBusySeconds());
    const busy = machineBusy === null ? 'n/a' : `${((machineBusy * 100) / (seconds * availableParallelism())).toFixed(0)} %`;
    this.phases.push(
      `${phase} ${services.join(', ')}, ${perRequest(cpuSecondsBetween(postgresBefore, cpuSecondsByPid('postgres')))}, ` +
        `${perRequest(client)} (machine busy ${busy}; API and worker main threads waited for a CPU ${waited.join(' and ')} ms per second)`,
    );
    return result;
  }

  report(): string {
    return this.phases.join('; ');
  }

  /** The pauses gc-pause-recorder.cjs logged in each measured phase. */
  async gcReport(file: string): Promise<string> {
    await new Promise((resolveFlush) => setTimeout(resolveFlush, 600)); // the recorder flushes every 500 ms
    let lines: string[];
    try {
      lines = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
    } catch {
      return 'not recorded';
    }
    const pauses = lines.map((line) => line.split(' ').map(Number) as [number, number, number]);
    return this.windows
      .map(({ phase, from, to }) => {
        const inPhase = pauses.filter(([at]) => at >= from && at <= to);
        const count = (kind: number) => inPhase.filter(([, k]) => k === kind).length;
        const total = inPhase.reduce((sum, [, , ms]) => sum + ms, 0);
        const longest = inPhase.reduce((max, [, , ms]) => Math.max(max, ms), 0);
        return `${phase} ${count(constants.NODE_PERFORMANCE_GC_MINOR)}; ${count(constants.NODE_PERFORMANCE_GC_MAJOR)}; ${total.toFixed(0)} ms; ${longest.toFixed(1)} ms`;
      })
      .join(' | ');
  }
}

/** after − before of two readings from /proc, or null when either could not be read. */
function difference(before: number | null | undefined, after: number | null): number | null {
  return before === null || before === undefined || after === null ? null : after - before;
}

const describeFailure = (failure: unknown): string => sharedOpenLoop.describeFailure(failure);

/**
 * Follows sampled commands into read_model.assessment_summaries. One poll every lagPollMs asks for all
 * the streams still awaited, so the probe's load on PostgreSQL and on this process stays the same
 * however many samples are in flight (one query per sample and poll was several hundred a second).
 */
class ReadModelFollower {
  private readonly awaited = new Map<string, { version: number; deadline: number; resolve: (seenAt: number) => void; reject: (error: Error) => void }[]>();
  private polling: Promise<void> | null = null;

  constructor(private readonly pool: Pool) {}

  /** When the summary shows `version` of the stream (or a later one). */
  shows(streamName: string, version: number, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const waits = this.awaited.get(streamName) ?? [];
      waits.push({ version, deadline: performance.now() + timeoutMs, resolve, reject });
      this.awaited.set(streamName, waits);
      this.polling ??= this.poll().finally(() => (this.polling = null));
    });
  }

  private async poll(): Promise<void> {
    while (this.awaited.size > 0) {
      const { rows } = await this.pool.query<{ stream_name: string; stream_version: number }>(
        'SELECT stream_name, stream_version FROM read_model.assessment_summaries WHERE stream_name = ANY($1)',
        [[...this.awaited.keys()]],
      );
      const now = performance.now();
      const shown = new Map(rows.map((row) => [row.stream_name, Number(row.stream_version)]));
      for (const [streamName, waits] of this.awaited) {
        const pending = waits.filter((wait) => {
          if ((shown.get(streamName) ?? -1) >= wait.version) wait.resolve(now);
          else if (now > wait.deadline) wait.reject(new Error(`${streamName} not at ${wait.version} in time`));
          else return true;
          return false;
        });
        if (pending.length === 0) this.awaited.delete(streamName);
        else this.awaited.set(streamName, pending);
      }
      if (this.awaited.size > 0) await new Promise((resolveTimer) => setTimeout(resolveTimer, lagPollMs));
    }
  }
}

async function rawRankingSelect(pool: Pool, count: number): Promise<Run> {
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i += 1) {
    const sentAt = performance.now();
    const tables = await pool.query<{ edition: number }>(
      `SELECT edition, decision_number, decision_date, counts FROM read_model.ranking_tables
       WHERE period_id = $1 AND tier = $2 AND part_code = $3 AND ($4::text IS NULL OR decision_number = $4) ORDER BY edition DESC`,
      ['daknong-2019', 'commune', 'readiness', null],
    );
    await pool.query(
      `SELECT rank, unit_code, unit_name, score, level, previous_score, change FROM read_model.ranking_rows
       WHERE period_id = $1 AND edition = $2 AND tier = $3 AND part_code = $4 ORDER BY position`,
      ['daknong-2019', tables.rows[0]?.edition ?? 1, 'commune', 'readiness'],
    );
    latencies.push(performance.now() - sentAt);
  }
  return { latencies, count, errors: 0, perSecond: count / ((performance.now() - start) / 1000), achievedRate: 0 };
}

async function rawInserts(pool: Pool, count: number): Promise<Run> {
  await pool.query('CREATE TABLE IF NOT EXISTS public.bench_raw_insert (id bigserial PRIMARY KEY, stream text NOT NULL, data jsonb NOT NULL)');
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i += 1) {
    const sentAt = performance.now();
    await pool.query('INSERT INTO public.bench_raw_insert (stream, data) VALUES ($1, $2)', [`s-${i % clients}`, { criterionCode: 'X.SS.HT.1', value: i }]);
    latencies.push(performance.now() - sentAt);
  }
  return { latencies, count, errors: 0, perSecond: count / ((performance.now() - start) / 1000), achievedRate: 0 };
}

export function demoUnits(): { code: string; tier: string }[] {
  return buildDaknongHistory(loadDaknongDemoInput())
    .events.filter((e) => e.event.type === 'UnitRegistered')
    .map((e) => e.event.data as { code: string; tier: string })
    .filter((unit) => unit.tier === 'commune' || unit.tier === 'district');
}

export function startProcess(service: 'api' | 'worker', args: readonly string[], env: NodeJS.ProcessEnv, log: (message: string) => void): ChildProcess {
  // e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the API and the worker under load.
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
  if (service === 'api') nodeArgs.push('-r', gcPauseRecorder);
  const child = spawn(process.execPath, [...nodeArgs, builtServiceEntry(service), ...args], { cwd: workspaceRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => log(`[${service}] ${chunk.toString('utf8').trimEnd()}`));
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolveTimer) => setTimeout(resolveTimer, 250));
  }
}

async function main(): Promise<void> {
  const program = new Command('bench:api')
    .description('Benchmarks the API and worker processes over PostgreSQL (commands, ranking queries, projection lag) and prints the figures.')
    .addOption(new Option('--size <size>', 'smoke (seconds) or full').choices(['smoke', 'full']).default('full'))
    .option('--latency-log <file>', 'write every fixed-rate request (phase, when it was due, its latency) to this CSV file')
    .showHelpAfterError();
  program.parse(process.argv);
  const { size, latencyLog } = program.opts<{ size: ApiBenchmarkSize; latencyLog?: string }>();
  const result = await runApiBenchmark({ size, latencyLog, log: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${result.report}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
