import { randomUUID } from 'node:crypto';
import { createPgliteEventStore, type EventStore, type NewEvent, PgliteSqlClient, type SqlClient, type SqlMigrationSet } from '@tieuchi/shared/event-store';
import type { EventMetadata } from '@tieuchi/shared/kernel';
import { type HostedRunnerOptions, ProjectionHost, runnerHosting } from './projection-host';

const metadata: EventMetadata = { actor: 'user:1', correlationId: 'c', causationId: 'c', occurredAt: '2020-01-10T00:00:00.000Z', schemaVersion: 1 };
const event = (n: number): NewEvent => ({ id: randomUUID(), type: 'SelfScoreRecorded', data: { n }, metadata });

const seen: SqlMigrationSet = {
  component: 'host-spec',
  migrations: [{ version: 1, name: 'seen', sql: (schema) => `CREATE TABLE ${schema}.seen (projection_id text NOT NULL, n integer NOT NULL);` }],
};

describe('ProjectionHost', () => {
  let source: EventStore;
  let database: SqlClient;
  const hosts: ProjectionHost[] = [];

  beforeAll(async () => {
    source = await createPgliteEventStore();
    database = await PgliteSqlClient.create();
  }, 60_000);

  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.stop();
  });

  afterAll(async () => {
    await source?.close();
    await database?.close();
  });

  const runner = (projectionId: string, handle: (n: number) => void = () => undefined): HostedRunnerOptions => ({
    projectionId,
    schema: 'host_spec',
    migrations: [seen],
    pollIntervalMs: 20,
    gatherMs: 0,
    maxAttempts: 1,
    handler: async (events, tx) => {
      for (const recorded of events.filter((candidate) => candidate.streamName === projectionId)) {
        const n = (recorded.data as { n: number }).n;
        handle(n);
        await tx.query('INSERT INTO host_spec.seen (projection_id, n) VALUES ($1, $2)', [projectionId, n]);
      }
    },
  });

  const host = (settings: Omit<ConstructorParameters<typeof ProjectionHost>[0], 'name'>): ProjectionHost => {
    const created = new ProjectionHost({ name: 'ProjectionHostSpec', ...settings });
    hosts.push(created);
    return created;
  };

  const seenBy = async (projectionId: string): Promise<number[]> =>
    (await database.query<{ n: number }>('SELECT n FROM host_spec.seen WHERE projection_id = $1 ORDER BY n', [projectionId])).rows.map((row) => row.n);

  it('restarts a projection that gave up, and a wait goes on until it has caught up', async () => {
    let failures = 2;
    const projectionId = `restarted-${randomUUID()}`;
    const restarted = host({
      run: true,
      restartAfterMs: 20,
      ...runnerHosting(source, database, () =>
        runner(projectionId, () => {
          if (failures > 0) {
            failures -= 1;
            throw new Error('a handler that fails twice');
          }
        }),
      ),
    });
    await restarted.start();
    const { checkpoint } = await source.appendToStream(projectionId, [event(1), event(2)], { expectedVersion: 'no_stream' });
    await restarted.waitFor(checkpoint, 10_000);
    expect(failures).toBe(0);
    expect(restarted.state).toBe('running');
    expect(await seenBy(projectionId)).toEqual([1, 2]);
  });

  it('settles after a batch commits, once at a time, and a wait includes the settling', async () => {
    const projectionId = `settled-${randomUUID()}`;
    const settled: number[][] = [];
    let running = 0;
    let mostAtOnce = 0;
    const settling = host({
      run: true,
      settleEveryMs: 60_000,
      settle: async () => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        settled.push(await seenBy(projectionId));
        await new Promise((resolve) => setTimeout(resolve, 10));
        running -= 1;
      },
      ...runnerHosting(source, database, () => runner(projectionId)),
    });
    await settling.start();
    const { checkpoint } = await source.appendToStream(projectionId, [event(1), event(2), event(3)], { expectedVersion: 'no_stream' });
    await settling.waitFor(checkpoint);
    // Once at start, once for the wait: the last saw every event the wait named.
    expect(settled.at(-1)).toEqual([1, 2, 3]);
    expect(mostAtOnce).toBe(1);
  });

  it('only applies the migrations where another process runs the projection', async () => {
    const projectionId = `not-run-${randomUUID()}`;
    const notRun = host({ run: false, ...runnerHosting(source, database, () => ({ ...runner(projectionId), schema: 'host_spec_not_run' })) });
    await notRun.start();
    expect(notRun.state).toBe('not_run');
    expect((await database.query('SELECT n FROM host_spec_not_run.seen')).rows).toEqual([]);
    await expect(notRun.waitFor('0')).rejects.toThrow('ProjectionHostSpec is not run by this host');
  });
});
