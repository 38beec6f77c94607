import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PublishAssessmentsWithPeriodProcess } from '@tieuchi/assessment/processes';
import type { FrameworkDefinition } from '@tieuchi/framework/domain';
import { EVENT_STORE } from '@tieuchi/shared/application';
import { LocalTokenIssuer, type Principal } from '@tieuchi/shared/auth';
import { demoPrincipal } from '../testing/demo-accounts';
import { TestAccounts } from '../testing/test-accounts';
import { type AppConfig, loadConfig } from '@tieuchi/shared/config';
import type { EventStore } from '@tieuchi/shared/event-store';
import { paddedPdf } from '@tieuchi/shared/evidence-storage/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { assessmentRoutes } from '../testing/assessment-workflow';
import { waitForProjections } from '../testing/read-model-workflow';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

/** One commune part (readiness of 30, Mức I–IV at 27/24/22.5/21) keeps the workflow short. */
const communeFramework: FrameworkDefinition = {
  id: 'mini-xa',
  version: 1,
  title: 'Mini commune framework for the embedded-mode test',
  rounding: { decimals: 2, mode: 'half_up' },
  notApplicableRescaling: false,
  tiers: [
    {
      tier: 'commune',
      parts: [
        {
          code: 'readiness',
          title: 'Điều kiện sẵn sàng',
          maxPoints: 30,
          aggregation: 'sum',
          groups: [
            {
              code: 'HT',
              title: 'Hạ tầng',
              criteria: [
                { code: 'X.HT.1', title: 'one', maxPoints: 20, rule: { kind: 'manual' }, mayBeNotApplicable: false, evidenceRequired: false, explanationRequired: false },
                { code: 'X.HT.2', title: 'two', maxPoints: 10, rule: { kind: 'manual' }, mayBeNotApplicable: false, evidenceRequired: false, explanationRequired: false },
              ],
            },
          ],
          levels: [
            { level: 'I', label: 'Mức I', minScore: 27 },
            { level: 'II', label: 'Mức II', minScore: 24 },
            { level: 'III', label: 'Mức III', minScore: 22.5 },
            { level: 'IV', label: 'Mức IV', minScore: 21 },
          ],
        },
      ],
    },
  ],
};

const period = 'mini-2019';
const unit = '24728'; // Xã Nâm N'Jang
// The whole trail, every account and province included, is read by national auditors only.
const nationalAuditor: Principal = { id: 'auditor@national', roles: ['auditor'], unitCode: null, provinceCode: null, national: true };
const rankingPath = `/periods/${period}/rankings/commune/readiness`;
const routes = assessmentRoutes(period, unit);

interface Embedded {
  readonly app: INestApplication;
  readonly eventStore: EventStore;
  post(path: string, user: string, body?: object): Promise<request.Response>;
  upload(path: string, user: string, name: string, bytes: Buffer): Promise<request.Response>;
  get(path: string, user?: string): Promise<request.Response>;
}

/** The real AppModule as `npm start` builds it by default: PGlite in DATA_DIR, the worker in the same process. */
async function startEmbedded(dataDir: string): Promise<Embedded> {
  const defaults = loadConfig({});
  const config: AppConfig = { ...defaults, dataDir, logLevel: 'warn', evidence: { ...defaults.evidence, maxAssessmentBytes: 150_000 } };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ config })] }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  const issuer = app.get(LocalTokenIssuer);
  const accounts = new TestAccounts(app);
  const bearer = async (user: string) => {
    const principal = user === nationalAuditor.id ? nationalAuditor : await demoPrincipal(app, user);
    await accounts.ensure(principal);
    return `Bearer ${await issuer.issue(principal)}`;
  };
  return {
    app,
    eventStore: app.get<EventStore>(EVENT_STORE),
    post: async (path, user, body = {}) => request(app.getHttpServer()).post(path).set('Authorization', await bearer(user)).send(body),
    upload: async (path, user, name, bytes) =>
      request(app.getHttpServer()).post(path).set('Authorization', await bearer(user)).attach('file', bytes, { filename: name, contentType: 'application/pdf' }),
    get: async (path, user) => {
      const req = request(app.getHttpServer()).get(path);
      return user ? req.set('Authorization', await bearer(user)) : req;
    },
  };
}

async function eventCount(eventStore: EventStore): Promise<number> {
  return (await eventStore.readAll(null, 10_000)).events.length;
}

/** Every event of the store in the audit trail, each once (the trail's rows name their event). */
async function auditEventIds(embedded: Embedded): Promise<string[]> {
  const res = await embedded.get('/audit/events?limit=500', nationalAuditor.id);
  expect(res.status).toBe(200);
  return (res.body.events as { eventId: string }[]).map((event) => event.eventId);
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('embedded mode: API and worker in one process on PGlite in DATA_DIR', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-embedded-'));
  let running: Embedded | null = null;

  afterAll(async () => {
    await running?.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a period to publication over HTTP, serves the public ranking, and resumes on the same DATA_DIR without re-applying', async () => {
    const first = await startEmbedded(dataDir);
    running = first;
    const admin = 'admin@daknong';
    const expectOk = (res: request.Response) => {
      expect([res.status, res.body.code]).toEqual([expect.any(Number), undefined]);
      expect(res.status).toBeLessThan(300);
      return res;
    };

    expectOk(await first.post('/frameworks', admin, { frameworkId: communeFramework.id, definition: communeFramework }));
    expectOk(await first.post(`/frameworks/${communeFramework.id}/publish`, admin));
    expectOk(await first.post('/units', admin, { code: '67', name: 'Đắk Nông', type: 'tỉnh', tier: 'province' }));
    expectOk(await first.post('/units', admin, { code: '665', name: 'Đắk Song', type: 'huyện', tier: 'district', parentCode: '67' }));
    expectOk(await first.post('/units', admin, { code: unit, name: "Xã Nâm N'Jang", type: 'xã', tier: 'commune', parentCode: '665' }));
    expectOk(
      await first.post('/periods', admin, {
        periodId: period,
        provinceCode: '67',
        year: 2019,
        framework: { id: communeFramework.id, version: 1 },
        deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 },
      }),
    );
    const editor = `editor.${unit}@daknong`;
    expectOk(await first.post(routes.start, editor));
    // Evidence on PGlite: recorded against the assessment's limit (150 KB here), the same bytes counted once.
    const evidencePath = `/periods/${period}/assessments/${unit}/evidence`;
    const decision = paddedPdf('Quyết định 12', 100_000);
    const uploaded = expectOk(await first.upload(evidencePath, editor, 'Quyết định 12.pdf', decision));
    expect((await first.upload(evidencePath, editor, 'Kế hoạch.pdf', paddedPdf('Kế hoạch', 100_000))).body).toMatchObject({ status: 400, code: 'EVIDENCE.ASSESSMENT_LIMIT_REACHED' });
    expectOk(await first.upload(evidencePath, editor, 'Quyết định 12 (bản sao).pdf', decision));
    for (const [code, value] of [
      ['X.HT.1', 16],
      ['X.HT.2', 9],
    ] as const) {
      const evidence = code === 'X.HT.1' ? [{ id: uploaded.body.id }] : [];
      expectOk(await first.post(routes.score(code), editor, { answer: { kind: 'value', value }, evidence, explanation: 'Đã triển khai' }));
    }
    expectOk(await first.post(routes.submit, `lead.${unit}@daknong`));
    const reviewer = 'reviewer.1@daknong';
    expectOk(await first.post(routes.startReview, reviewer));
    for (const code of ['X.HT.1', 'X.HT.2']) expectOk(await first.post(routes.accept(code), reviewer));
    expectOk(await first.post(routes.completeReview, reviewer));
    const detail = await eventually(
      () => first.get(`/periods/${period}/assessments/${unit}`, 'approver.1@daknong'),
      (res) => res.body.status === 'reviewed',
      'assessment detail',
    );
    expectOk(await first.post(routes.approve, 'approver.1@daknong', { revision: detail.body.revision }));
    expectOk(await first.post(`/periods/${period}/self-assessment/close`, admin));
    const published = expectOk(await first.post(`/periods/${period}/publish`, admin, { decisionNumber: '47/QĐ-UBND', decisionDate: '2020-01-10' }));

    // The publication process appends after its batch commits, on the same PGlite connection.
    await first.app.get(PublishAssessmentsWithPeriodProcess).waitFor(published.body.position, 20_000);
    const stream = await first.eventStore.readStream(routes.streamName);
    expect(stream.filter((event) => event.type === 'AssessmentPublished')).toHaveLength(1);

    const ranking = await eventually(
      () => first.get(rankingPath),
      (res) => res.status === 200,
      'public ranking',
    );
    expect(ranking.body).toMatchObject({ provisional: false, decision: { number: '47/QĐ-UBND', date: '2020-01-10' } });
    expect(ranking.body.ranked).toEqual([expect.objectContaining({ rank: 1, unitCode: unit, score: 25, level: 'II' })]);
    await auditEventIds(first); // provisions the auditor's account, whose events the count below includes
    const events = await eventCount(first.eventStore);
    const audited = await eventually(() => auditEventIds(first), (ids) => ids.length >= events, 'audit trail');
    expect(new Set(audited).size).toBe(events);
    expect(audited).toHaveLength(events);

    await first.app.close();
    running = null;

    const second = await startEmbedded(dataDir);
    running = second;
    expect(await eventCount(second.eventStore)).toBe(events);
    const again = await second.get(rankingPath);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(ranking.body);
    // Something new after the restart is projected once, and nothing before it is applied again.
    const corrected = expectOk(await second.post(`/periods/${period}/corrections`, admin, { decisionNumber: '52/QĐ-UBND', decisionDate: '2020-02-01', reason: 'đính chính' }));
    await waitForProjections(second.app, corrected.body.position);
    expect((await second.get(rankingPath)).body.decision).toEqual({ number: '52/QĐ-UBND', date: '2020-02-01' });
    // The correction appends two events: its decision number's claim, then PeriodCorrected.
    const appended = (await eventCount(second.eventStore)) - events;
    expect(appended).toBe(2);
    const afterRestart = await eventually(() => auditEventIds(second), (ids) => ids.length >= events + appended, 'audit trail after restart');
    expect(afterRestart).toHaveLength(events + appended);
    expect(new Set(afterRestart).size).toBe(events + appended);
    expect((await second.get('/audit/verify', nationalAuditor.id)).body).toMatchObject({ ok: true });
    expect((await second.eventStore.readStream(routes.streamName)).filter((event) => event.type === 'AssessmentPublished')).toHaveLength(1);
  }, 120_000);
});
