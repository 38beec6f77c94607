import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RECALCULATION_QUEUE } from '@tieuchi/recalculation/data-access';
import { ApplicationModule, PersistenceModule } from '@tieuchi/shared/application';
import { AuthModule, LocalTokenIssuer, type Principal } from '@tieuchi/shared/auth';
import { type AppConfig, loadConfig } from '@tieuchi/shared/config';
import { jsonBody, ProblemDetailsFilter } from '@tieuchi/shared/http';
import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { removeTestQueue } from '../../testing/remove-test-queue';
import { RecalculationFeatureModule } from '../recalculation-feature.module';

interface BoardApp {
  readonly http: () => ReturnType<typeof request>;
  readonly bearer: (userId: string) => Promise<string>;
  close(): Promise<void>;
}

/** The recalculation module behind the app's authentication and problem+json filter, as apps/api wires it. */
/**
 * The board's module with the guard alone (no accounts context here): a token's claims are all it
 * knows of a caller, so each test caller is spelled out as its Đắk Nông demo account's grants.
 */
function provinceStaff(login: string): Principal {
  const [who = ''] = login.split('@');
  const [role, unit] = who.split('.');
  const roles = { admin: 'admin', auditor: 'auditor', reviewer: 'reviewer', approver: 'approver', editor: 'unit_editor', lead: 'unit_lead' } as const;
  const granted = roles[role as keyof typeof roles];
  if (!granted) throw new Error(`no caller ${login} in this test`);
  const unitCode = granted === 'unit_editor' || granted === 'unit_lead' ? (unit ?? null) : null;
  return { id: login, roles: [granted], unitCode, provinceCode: '67', national: false };
}

async function startBoardApp(redisUrl: string | undefined): Promise<BoardApp> {
  const database: TestDatabase = await createTestDatabase('e2e_board');
  const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-board-'));
  const config: AppConfig = { ...loadConfig({}), eventStore: 'postgres', databaseUrl: database.connectionString, dataDir, redisUrl, logLevel: 'warn' };
  const moduleRef = await Test.createTestingModule({
    imports: [PersistenceModule.forRoot({ config }), ApplicationModule, AuthModule.forRoot({ config }), RecalculationFeatureModule.forRoot({ runProjections: false })],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  app.use(...jsonBody('1mb'));
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.init();
  const issuer = app.get(LocalTokenIssuer);
  return {
    http: () => request(app.getHttpServer()),
    bearer: async (userId) => `Bearer ${await issuer.issue(provinceStaff(userId))}`,
    close: async () => {
      await app.close();
      await removeTestQueue(config);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const problem = (res: request.Response) => ({ status: res.status, type: String(res.headers['content-type']).split(';')[0], code: res.body.code as unknown });

describe('bull-board at /admin/queues', () => {
  describe('with Redis (BullMQ)', () => {
    let t: BoardApp;
    beforeAll(async () => {
      t = await startBoardApp('redis://127.0.0.1:6379');
    }, 30_000);
    afterAll(() => t.close());

    it('refuses anonymous callers with 401 and other roles with 403, as problem+json, on every page of the board', async () => {
      for (const path of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues', '/admin/queues/static/favicon-32x32.png']) {
        expect(problem(await t.http().get(path))).toEqual({ status: 401, type: 'application/problem+json', code: 'AUTH.MISSING_TOKEN' });
        const bad = await t.http().get(path).set('Authorization', 'Basic YWRtaW46YWRtaW4=');
        expect(problem(bad)).toEqual({ status: 401, type: 'application/problem+json', code: 'AUTH.INVALID_TOKEN' });
        for (const user of ['auditor@daknong', 'reviewer.1@daknong', 'approver.1@daknong', 'editor.24728@daknong', 'lead.24728@daknong']) {
          const res = await t.http().get(path).set('Authorization', await t.bearer(user));
          expect({ user, path, ...problem(res) }).toEqual({ user, path, status: 403, type: 'application/problem+json', code: 'AUTH.FORBIDDEN_ROLE' });
        }
      }
      const put = await t.http().put(`/admin/queues/api/queues/${RECALCULATION_QUEUE}/pause`).set('Authorization', await t.bearer('auditor@daknong'));
      expect(problem(put)).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN_ROLE' });
    });

    it('serves the board to administrators and lists the recalculation queue, read-only', async () => {
      const admin = await t.bearer('admin@daknong');
      const page = await t.http().get('/admin/queues').set('Authorization', admin);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<base href="/admin/queues/" />');
      expect(page.text).toContain('<title>tieuchi queues</title>');
      const asset = await t.http().get('/admin/queues/static/favicon-32x32.png').set('Authorization', admin);
      expect({ status: asset.status, type: asset.headers['content-type'] }).toEqual({ status: 200, type: 'image/png' });

      const queues = await t.http().get('/admin/queues/api/queues').set('Authorization', admin);
      expect(queues.status).toBe(200);
      const listed = (queues.body.queues as { name: string; readOnlyMode: boolean }[]).map((q) => ({ name: q.name, readOnlyMode: q.readOnlyMode }));
      expect(listed).toEqual([{ name: RECALCULATION_QUEUE, readOnlyMode: true }]);

      const missing = await t.http().get('/admin/queues/api/nothing-here').set('Authorization', admin);
      expect(problem(missing)).toEqual({ status: 404, type: 'application/problem+json', code: 'RECALCULATION.QUEUE_BOARD_NOT_FOUND' });
    });

    it("answers the board's own refusals (an unknown queue or job, a change to the read-only queue) as problem+json too", async () => {
      const admin = await t.bearer('admin@daknong');
      const unknownQueue = await t.http().get('/admin/queues/api/queues/no-such-queue/1').set('Authorization', admin);
      expect(problem(unknownQueue)).toEqual({ status: 404, type: 'application/problem+json', code: 'HTTP.404' });
      expect(unknownQueue.body.detail).toMatch(/queue/i);
      const unknownJob = await t.http().get(`/admin/queues/api/queues/${RECALCULATION_QUEUE}/no-such-job`).set('Authorization', admin);
      expect(problem(unknownJob)).toEqual({ status: 404, type: 'application/problem+json', code: 'HTTP.404' });
      const change = await t.http().put(`/admin/queues/api/queues/${RECALCULATION_QUEUE}/pause`).set('Authorization', admin);
      expect(problem(change)).toEqual({ status: 405, type: 'application/problem+json', code: 'HTTP.405' });
    });
  });

  describe('embedded mode (no Redis)', () => {
    let t: BoardApp;
    beforeAll(async () => {
      t = await startBoardApp(undefined);
    }, 30_000);
    afterAll(() => t.close());

    it('answers administrators 404 explaining that jobs run in-process, after the same 401/403', async () => {
      expect(problem(await t.http().get('/admin/queues'))).toEqual({ status: 401, type: 'application/problem+json', code: 'AUTH.MISSING_TOKEN' });
      expect(problem(await t.http().get('/admin/queues').set('Authorization', await t.bearer('auditor@daknong')))).toMatchObject({ status: 403 });
      const res = await t.http().get('/admin/queues/api/queues').set('Authorization', await t.bearer('admin@daknong'));
      expect(problem(res)).toEqual({ status: 404, type: 'application/problem+json', code: 'RECALCULATION.QUEUES_IN_PROCESS' });
      expect(res.body.detail).toMatch(/in-process/);
    });
  });
});
