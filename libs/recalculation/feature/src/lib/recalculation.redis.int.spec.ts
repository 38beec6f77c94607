import type { ScoresRecalculated } from '@tieuchi/assessment/domain';
import { recalculationJobId, recalculationRunId, type RunProgress } from '@tieuchi/recalculation/data-access';
import { createPostgresEventStore, type EventStore, PostgresSqlClient } from '@tieuchi/shared/event-store';
import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { adminCommands, lowerDistrictReadiness, PERIOD_ID, seedDaknong2019, type SeededPeriod } from '../testing/recalculation.fixtures';
import { sleep, TestRedisServer } from '../testing/test-redis-server';
import { BullMqJobQueue } from './job-queue/bullmq-job-queue';
import { RecalculationRuntime } from './recalculation.runtime';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');
const units = 12;
jest.setTimeout(40_000);

describe('recalculation over BullMQ against a real Redis', () => {
  let redis: TestRedisServer;
  let database: TestDatabase;
  let sql: PostgresSqlClient;
  let eventStore: EventStore;
  let seeded: SeededPeriod;
  let dispatcher: RecalculationRuntime;
  let version = 1;
  const prefix = `tieuchi-test-${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  const workers: RecalculationRuntime[] = [];

  const queue = (overrides: Partial<ConstructorParameters<typeof BullMqJobQueue>[0]> = {}) =>
    new BullMqJobQueue({ redisUrl: redis.url, prefix, retryPolicy: { attempts: 3, backoffDelayMs: 100 }, lockDurationMs: 1_000, stalledIntervalMs: 500, ...overrides });
  const startWorker = async () => {
    const worker = new RecalculationRuntime({ eventStore, database: sql, queue: queue(), dispatcher: false });
    workers.push(worker);
    await worker.start();
    return worker;
  };
  const spawnWorker = async (appendDelayMs: number): Promise<ChildProcess> => {
    const options = { databaseUrl: database.connectionString, redisUrl: redis.url, prefix, appendDelayMs };
    const child = spawn(process.execPath, ['-r', './tools/register.cjs', join(__dirname, '..', 'testing', 'recalculation-worker.child.ts'), JSON.stringify(options)], {
      cwd: workspaceRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
    return child;
  };
  const amendAndPin = async (decisionRef: string) => {
    version += 1;
    await adminCommands(eventStore).amend(lowerDistrictReadiness(seeded.framework, version, decisionRef));
    const pinned = await adminCommands(eventStore).pin(version, decisionRef);
    const pinEvent = (await eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!;
    return { pinned, runId: recalculationRunId(pinEvent.id), pinEventId: pinEvent.id };
  };
  const until = async (runId: string, done: (p: RunProgress) => boolean, timeoutMs = 30_000): Promise<RunProgress> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const progress = await dispatcher.progress(runId).catch(() => null);
      if (progress && done(progress)) return progress;
      if (Date.now() > deadline) throw new Error(`run ${runId} stuck at ${JSON.stringify(progress)}`);
      await sleep(100);
    }
  };
  /** Every assessment records the amendment exactly once. */
  const expectEachRecordedOnce = async (pinEventId: string) => {
    for (const stream of seeded.streams) {
      const events = (await eventStore.readStream(stream)).filter((e) => e.type === 'ScoresRecalculated');
      const matching = events.filter((e) => (e.data as ScoresRecalculated['data']).cause.sourceEventId === pinEventId);
      expect({ stream, count: matching.length }).toEqual({ stream, count: 1 });
    }
  };

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    database = await createTestDatabase('recalc_redis');
    sql = new PostgresSqlClient({ connectionString: database.connectionString });
    eventStore = await createPostgresEventStore({ client: sql });
    seeded = await seedDaknong2019(eventStore, { units });
    dispatcher = new RecalculationRuntime({ eventStore, database: sql, queue: queue(), worker: false, pollIntervalMs: 100 });
    await dispatcher.start();
  }, 60_000);

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const worker of workers.splice(0)) await worker.stop();
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await eventStore?.close();
    await sql?.close();
    await database?.drop();
    await redis?.destroy();
  });

  it('retries a failing job with backoff, keeps it failed with its error, and retries it by command', async () => {
    await startWorker();
    // The period pins a version that does not exist yet: every job fails until the amendment is recorded.
    version += 1;
    await adminCommands(eventStore).pin(version, '20/QĐ-UBND');
    const pinEvent = (await eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!;
    const runId = recalculationRunId(pinEvent.id);
    const failed = await until(runId, (p) => p.status === 'failed');
    expect(failed).toMatchObject({ failed: units, done: 0, total: units });
    // One attempt in its batch, then three of its own: each assessment failed and was retried alone.
    expect(failed.failures).toHaveLength(units);
    expect(failed.failures[0]).toMatchObject({ attempts: 4, error: expect.stringContaining(`no published version ${version}`) });

    const bull = queue();
    const job = await bull.bullQueue.getJob(recalculationJobId(pinEvent.id, seeded.streams[0]!));
    expect(await bull.bullQueue.getJobState(job!.id!)).toBe('failed');
    expect(job!.attemptsMade).toBe(3);
    expect(job!.failedReason).toContain(`no published version ${version}`);
    // Two backoffs of 100 and 200 ms lie between the first attempt and the failure.
    expect(job!.finishedOn! - job!.processedOn!).toBeGreaterThanOrEqual(0);
    expect(job!.finishedOn! - job!.timestamp).toBeGreaterThanOrEqual(300);
    await bull.close();

    await adminCommands(eventStore).amend(lowerDistrictReadiness(seeded.framework, version, '20/QĐ-UBND'));
    expect(await dispatcher.retryFailed(runId)).toBe(units);
    expect(await until(runId, (p) => p.status === 'done')).toMatchObject({ done: units, failed: 0 });
    await expectEachRecordedOnce(pinEvent.id);
  });

  it('loses and duplicates nothing when a worker is killed with SIGKILL mid-run and another finishes', async () => {
    const child = await spawnWorker(300);
    const { runId, pinEventId } = await amendAndPin('21/QĐ-UBND');
    await until(runId, (p) => p.done >= 2);
    child.kill('SIGKILL');
    const halfway = await dispatcher.progress(runId);
    expect(halfway.done).toBeLessThan(units);

    await startWorker();
    expect(await until(runId, (p) => p.status === 'done')).toMatchObject({ done: units, failed: 0 });
    await expectEachRecordedOnce(pinEventId);
  });

  it('delays a run across a Redis restart and loses nothing', async () => {
    await spawnWorker(150);
    const { runId, pinEventId } = await amendAndPin('22/QĐ-UBND');
    await until(runId, (p) => p.done >= 2);
    await redis.stop();
    await sleep(500);
    await redis.start();
    expect(await until(runId, (p) => p.status === 'done')).toMatchObject({ done: units, failed: 0 });
    await expectEachRecordedOnce(pinEventId);
  });

  it('recalculates an amendment made while Redis is down once Redis is back', async () => {
    await startWorker();
    await redis.stop();
    const { pinned, runId, pinEventId } = await amendAndPin('23/QĐ-UBND');
    await sleep(1_500);
    // The dispatcher could not enqueue: the run and the checkpoint rolled back together.
    expect(await dispatcher.progress(runId).catch((error: Error) => error.message)).toContain('no recalculation run');
    await redis.start();
    await dispatcher.dispatcher!.waitFor(pinned.checkpoint!);
    expect(await until(runId, (p) => p.status === 'done')).toMatchObject({ done: units, failed: 0 });
    await expectEachRecordedOnce(pinEventId);
  });
});
