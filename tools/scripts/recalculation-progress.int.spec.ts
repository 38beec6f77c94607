import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { recalculationRunId } from '@tieuchi/recalculation/data-access';
import { RecalculationFeatureModule } from '@tieuchi/recalculation/feature';
import { adminCommands, lowerDistrictReadiness, PERIOD_ID, seedDaknong2019 } from '@tieuchi/recalculation/feature/testing';
import { ApplicationModule, EVENT_STORE, PersistenceModule } from '@tieuchi/shared/application';
import { principalOfGrants } from '@tieuchi/accounts/feature';
import { daknongPerson } from '@tieuchi/demo/daknong';
import { AuthModule, LocalTokenIssuer } from '@tieuchi/shared/auth';
import { type AppConfig, loadConfig } from '@tieuchi/shared/config';
import type { EventStore } from '@tieuchi/shared/event-store';
import { ProblemDetailsFilter } from '@tieuchi/shared/http';
import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EXIT_CANNOT_FOLLOW, EXIT_DONE, watchRun } from './recalculation-progress';

// The CLI against a listening app running the recalculation module in-process (embedded-mode queue).
describe('recalc:progress against a running API', () => {
  let app: INestApplication;
  let database: TestDatabase;
  let dataDir: string;
  let url: string;
  let token: (user: string) => Promise<string>;
  let runId: string;

  beforeAll(async () => {
    database = await createTestDatabase('int_recalc_cli');
    dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-recalc-cli-'));
    const config: AppConfig = { ...loadConfig({}), eventStore: 'postgres', databaseUrl: database.connectionString, dataDir, redisUrl: undefined, logLevel: 'warn' };
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot({ config }), ApplicationModule, AuthModule.forRoot({ config }), RecalculationFeatureModule.forRoot({ runProjections: true })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const issuer = app.get(LocalTokenIssuer);
    token = (user) => {
      // The recalculation module with the guard alone: the token carries the demo account's grants.
      const person = daknongPerson(user)!;
      return issuer.issue(principalOfGrants(person.login, person.name, person.grants));
    };

    const eventStore = app.get<EventStore>(EVENT_STORE);
    const seeded = await seedDaknong2019(eventStore, { units: 6 });
    const admin = adminCommands(eventStore);
    const amended = await admin.amend(lowerDistrictReadiness(seeded.framework, 3));
    await admin.pin(amended.version);
    const pin = (await eventStore.readStream(`period-${PERIOD_ID}`)).findLast((e) => e.type === 'FrameworkVersionPinned');
    runId = recalculationRunId(pin!.id);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const watch = async (bearer: string, id = runId): Promise<{ code: number; text: string }> => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const code = await watchRun({ url, token: bearer, runId: id, intervalMs: 50, notFoundGraceMs: 10_000, out });
    return { code, text };
  };

  it('follows the run to its end and exits 0 when every assessment is recalculated', async () => {
    const { code, text } = await watch(await token('auditor@daknong'));
    expect(code).toBe(EXIT_DONE);
    expect(text).toContain(`${runId} done: 6/6 recalculated, 0 failed`);
    expect(text).toContain(`${PERIOD_ID} v1→v`);
  }, 30_000);

  it('exits 2 naming the refusal when the token may not read runs, and when the run does not exist', async () => {
    const refused = await watch(await token('reviewer.1@daknong'));
    expect(refused).toEqual({ code: EXIT_CANNOT_FOLLOW, text: expect.stringContaining('403 AUTH.FORBIDDEN_ROLE') });
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const code = await watchRun({ url, token: await token('admin@daknong'), runId: 'run-000000000000000000000000', intervalMs: 50, notFoundGraceMs: 200, out });
    expect({ code, text }).toEqual({ code: EXIT_CANNOT_FOLLOW, text: expect.stringContaining('404 RECALCULATION.RUN_NOT_FOUND') });
  }, 30_000);
});
