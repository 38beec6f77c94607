import type { ScoresRecalculated } from '@tieuchi/assessment/domain';
import { recalculationJobId, recalculationRunId } from '@tieuchi/recalculation/data-access';
import { createPostgresEventStore, type EventStore, PostgresSqlClient, type RecordedEvent } from '@tieuchi/shared/event-store';
import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { adminCommands, lowerDistrictReadiness, PERIOD_ID, seedDaknong2019, type SeededPeriod, settledRun, startEmbeddedRuntime } from '../testing/recalculation.fixtures';
import { RecalculationRuntime } from './recalculation.runtime';

describe('recalculation in embedded mode (in-process queue)', () => {
  let database: TestDatabase;
  let sql: PostgresSqlClient;
  let eventStore: EventStore;
  let seeded: SeededPeriod;
  const runtimes: RecalculationRuntime[] = [];

  const startRuntime = (options: { worker?: boolean } = {}) => startEmbeddedRuntime(runtimes, { eventStore, database: sql }, options);
  const recalculations = async (stream: string) =>
    (await eventStore.readStream(stream)).filter((e): e is RecordedEvent<ScoresRecalculated['data']> => e.type === 'ScoresRecalculated');

  beforeAll(async () => {
    database = await createTestDatabase('recalc');
    sql = new PostgresSqlClient({ connectionString: database.connectionString });
    eventStore = await createPostgresEventStore({ client: sql });
    seeded = await seedDaknong2019(eventStore, { units: 12 });
  });

  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.stop();
  });

  afterAll(async () => {
    await eventStore.close();
    await sql.close();
    await database.drop();
  });

  it('recalculates every approved assessment once when the period pins an amended version, naming the cause', async () => {
    const { runtime, queue } = await startRuntime();
    const admin = adminCommands(eventStore);
    await admin.amend(lowerDistrictReadiness(seeded.framework, 5));
    const pinned = await admin.pin(2);
    await runtime.dispatcher!.waitFor(pinned.checkpoint!);
    await queue.idle();

    const pinEvent = (await eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!;
    const progress = await settledRun(runtime, recalculationRunId(pinEvent.id));
    expect(progress).toMatchObject({ status: 'done', total: 12, done: 12, failed: 0, fromVersion: 1, toVersion: 2, decisionRef: '12/QĐ-UBND', provisional: false });

    const gianghia = await recalculations(seeded.streams[0]!);
    expect(gianghia).toHaveLength(1);
    expect(gianghia[0]!.metadata.actor).toBe('system:recalculation');
    expect(gianghia[0]!.data.cause).toEqual({ kind: 'framework_amended', frameworkId: '2392-2017', frameworkVersion: 2, decisionRef: '12/QĐ-UBND', sourceEventId: pinEvent.id });
    for (const stream of seeded.streams) expect(await recalculations(stream)).toHaveLength(1);

    // Thresholds moved only for district readiness: totals stay, levels rise there and nowhere else.
    const districtParts = (await Promise.all(seeded.streams.slice(0, 8).map(recalculations))).map((events) => events[0]!.data.parts);
    const readiness = districtParts.map((parts) => parts.find((p) => p.partCode === 'readiness')!);
    expect(readiness.every((p) => p.oldTotal === p.newTotal)).toBe(true);
    expect(readiness.some((p) => p.oldLevel !== p.newLevel)).toBe(true);
    expect(districtParts.map((parts) => parts.find((p) => p.partCode === 'results')!).every((p) => p.oldLevel === p.newLevel)).toBe(true);
  });

  it('appends nothing twice when a job is replayed, or when a restarted dispatcher sees the feed again', async () => {
    const { runtime, queue } = await startRuntime();
    const pinEvent = (await eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!;
    const runId = recalculationRunId(pinEvent.id);
    const stream = seeded.streams[3]!;
    const before = await eventStore.readStream(stream);
    const job = {
      jobId: recalculationJobId(pinEvent.id, stream),
      name: 'recalculate-assessment' as const,
      data: {
        runId,
        periodId: PERIOD_ID,
        unitCode: stream.split('-').at(-1)!,
        streamName: stream,
        frameworkId: '2392-2017',
        toVersion: 2,
        cause: { kind: 'framework_amended', frameworkId: '2392-2017', frameworkVersion: 2, decisionRef: '12/QĐ-UBND', sourceEventId: pinEvent.id },
      },
    };
    await expect(runtime.processor.process({ ...job, attempt: 1, finalAttempt: false })).resolves.toBe('already_recorded');
    expect(await eventStore.readStream(stream)).toHaveLength(before.length);
    await queue.idle();
    expect((await settledRun(runtime, runId)).done).toBe(12);
  });

  it('picks up jobs that were dispatched but not run before the process stopped', async () => {
    const dispatching = await startRuntime({ worker: false });
    const admin = adminCommands(eventStore);
    await admin.amend(lowerDistrictReadiness(seeded.framework, 6, '13/QĐ-UBND'));
    const pinned = await admin.pin(3, '13/QĐ-UBND');
    await dispatching.runtime.dispatcher!.waitFor(pinned.checkpoint!);
    const runId = recalculationRunId((await eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!.id);
    expect(await dispatching.runtime.progress(runId)).toMatchObject({ status: 'queued', queued: 12, done: 0 });
    await dispatching.runtime.stop();
    runtimes.splice(runtimes.indexOf(dispatching.runtime), 1);

    const restarted = await startRuntime();
    await restarted.queue.idle();
    expect(await settledRun(restarted.runtime, runId)).toMatchObject({ status: 'done', done: 12 });
    for (const stream of seeded.streams) expect((await recalculations(stream)).map((e) => e.data.cause.frameworkVersion)).toEqual([2, 3]);
  });

  it('keeps a permanently failing job visible with its error until it is retried by command', async () => {
    const { runtime, queue } = await startRuntime();
    const admin = adminCommands(eventStore);
    // Version 4 does not exist yet: every job fails until the amendment that makes it is recorded.
    const pinned = await admin.pin(4, '14/QĐ-UBND');
    await runtime.dispatcher!.waitFor(pinned.checkpoint!);
    await queue.idle();
    const runId = recalculationRunId((await eventStore.readStream(`period-${PERIOD_ID}`)).at(-1)!.id);
    const failed = await settledRun(runtime, runId);
    expect(failed).toMatchObject({ status: 'failed', failed: 12, done: 0 });
    // One attempt in its batch, then three of its own.
    expect(failed.failures).toHaveLength(12);
    expect(failed.failures[0]).toMatchObject({ attempts: 4, error: expect.stringMatching(/^FRAMEWORK\.NOT_FOUND: .*no published version 4$/) });

    await admin.amend(lowerDistrictReadiness(seeded.framework, 7, '14/QĐ-UBND'));
    expect(await runtime.retryFailed(runId)).toBe(12);
    await queue.idle();
    expect(await settledRun(runtime, runId)).toMatchObject({ status: 'done', done: 12, failed: 0 });
  });
});
