import { WORKSPACE_ROOT } from '@tieuchi/demo/daknong';
import { execFile } from 'node:child_process';
import request from 'supertest';
import { miniFramework } from '../testing/read-model-workflow';
import { startTestApp, type TestApp } from '../testing/test-app';

/**
 * Issue 16, "done when": a new province (Thừa Thiên Huế, 46) set up from nothing through HTTP alone,
 * against PostgreSQL. The first admin comes from the documented bootstrap command, which prints its
 * activation link once; every other person is invited by the staff import, activates their account
 * and signs in with a password; then those accounts carry one assessment cycle each for two
 * districts to the public ranking.
 */
const HUE = '46';
const PERIOD = 'hue-2030';
const FRAMEWORK = 'hue-mini';
const DISTRICTS = [
  { code: '476', name: 'Huyện Phong Điền', scores: [28, 18] },
  { code: '477', name: 'Huyện Quảng Điền', scores: [25, 16] },
] as const;
const ADMIN = 'quantri@sotttt.hue.gov.vn';
const REVIEWER = 'thamdinh@sotttt.hue.gov.vn';
const APPROVER = 'pheduyet@sotttt.hue.gov.vn';
const editor = (unit: string) => `canbo.${unit}@hue.gov.vn`;
const lead = (unit: string) => `lanhdao.${unit}@hue.gov.vn`;
const passwordOf = (login: string) => `Mật khẩu của ${login}`;

interface Person {
  readonly agent: ReturnType<typeof request.agent>;
  readonly csrf: string;
}

/** `npm run -s accounts:bootstrap -- …` against the test's database, as an operator runs it. */
function bootstrap(databaseUrl: string, dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', './tools/register.cjs', 'tools/scripts/bootstrap-admin.ts', '--login', ADMIN, '--name', 'Quản trị Sở TT&TT Thừa Thiên Huế', '--province', HUE],
      { cwd: WORKSPACE_ROOT, env: { ...process.env, EVENT_STORE: 'postgres', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SMTP_URL: '', NODE_OPTIONS: '' }, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const tokenOf = (link: string): string => {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
};

describe('a new province set up from nothing, over HTTP only', () => {
  let t: TestApp;
  const people = new Map<string, Person>();
  const links = new Map<string, string>();

  const as = (login: string): Person => {
    const person = people.get(login);
    if (!person) throw new Error(`${login} has not signed in`);
    return person;
  };
  const post = (login: string, path: string, body?: object) => {
    const { agent, csrf } = as(login);
    const req = agent.post(path).set('x-csrf-token', csrf);
    return body === undefined ? req : req.send(body);
  };
  const get = (login: string, path: string) => as(login).agent.get(path);
  /** Reads until `ready` holds: the read side follows the commands a moment later. */
  const until = async (read: () => Promise<request.Response>, ready: (res: request.Response) => boolean, what: string): Promise<request.Response> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await read();
      if (ready(res)) return res;
      if (Date.now() > deadline) throw new Error(`${what}: still ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const noWork = { fill: 0, submit: 0, resubmit: 0, review: 0, approve: 0, resolve_appeal: 0, publish: 0 };
  /** `/me` says what the person may do next: this item among them, once the read side has it. */
  const nextShows = async (login: string, item: object): Promise<void> => {
    const res = await until(
      () => get(login, '/me'),
      (answer) => (answer.body?.next?.items ?? []).some((shown: object) => JSON.stringify(Object.keys(shown).sort()) === JSON.stringify(Object.keys(item).sort()) && expect.objectContaining(item).asymmetricMatch(shown)),
      `${login} to see ${JSON.stringify(item)} next`,
    );
    expect(res.body.next.items).toContainEqual(item);
    const action = (item as { action: string }).action;
    expect(res.body.next.counts[action]).toBeGreaterThan(0);
  };

  const activateAndSignIn = async (login: string, link: string): Promise<void> => {
    const activated = await t.http().post('/auth/activate').send({ token: tokenOf(link), password: passwordOf(login) });
    expect({ login, status: activated.status }).toEqual({ login, status: 200 });
    const agent = request.agent(t.app.getHttpServer());
    const signedIn = await agent.post('/auth/sign-in').send({ login, password: passwordOf(login) });
    expect({ login, status: signedIn.status }).toEqual({ login, status: 200 });
    expect(JSON.stringify(signedIn.body)).not.toContain(passwordOf(login));
    people.set(login, { agent, csrf: signedIn.body.csrfToken as string });
  };

  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);

  afterAll(() => t?.close());

  it('creates the first admin with the bootstrap command, which prints the activation link once', async () => {
    const first = await bootstrap(t.config.databaseUrl, t.config.dataDir);
    expect(first.code).toBe(0);
    const printed = first.stdout.trim().split('\n');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/\/activate\?token=[A-Za-z0-9_-]{40,}$/);
    expect(first.stderr).toContain('will not be shown again');
    links.set(ADMIN, printed[0]!);

    const again = await bootstrap(t.config.databaseUrl, t.config.dataDir);
    expect(again.code).not.toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('already exists');
  }, 400_000);

  it('lets the admin activate, refuses the link a second time, and signs the admin in with the password', async () => {
    await activateAndSignIn(ADMIN, links.get(ADMIN)!);
    const reused = await t.http().post('/auth/activate').send({ token: tokenOf(links.get(ADMIN)!), password: 'một mật khẩu khác' });
    expect(reused.body).toMatchObject({ code: 'ACCOUNT.ACTIVATION_LINK_INVALID' });
    const me = await get(ADMIN, '/me');
    expect(me.body).toMatchObject({ login: ADMIN, status: 'active', roles: ['admin'], provinceCode: HUE, national: false });
  });

  it('registers the province and its districts, and drafts and publishes a framework', async () => {
    expect((await post(ADMIN, '/units', { code: HUE, name: 'Tỉnh Thừa Thiên Huế', type: 'tỉnh', tier: 'province', parentCode: null })).status).toBe(201);
    await until(() => get(ADMIN, `/units/${HUE}`), (res) => res.status === 200, 'the province unit');
    for (const district of DISTRICTS) {
      expect((await post(ADMIN, '/units', { code: district.code, name: district.name, type: 'huyện', tier: 'district', parentCode: HUE })).status).toBe(201);
    }
    for (const district of DISTRICTS) await until(() => get(ADMIN, `/units/${district.code}`), (res) => res.status === 200, `unit ${district.code}`);
    expect((await post(ADMIN, '/frameworks', { frameworkId: FRAMEWORK, definition: { ...miniFramework, id: FRAMEWORK } })).status).toBe(201);
    expect((await post(ADMIN, `/frameworks/${FRAMEWORK}/publish`, { decisionReference: '2392/QĐ-BTTTT' })).status).toBe(200);
    const opened = await until(
      () => post(ADMIN, '/periods', { periodId: PERIOD, provinceCode: HUE, year: 2030, framework: { id: FRAMEWORK, version: 1 }, deadlines: { selfAssessment: '2099-11-30', review: '2099-12-20', appealWindowDays: 15 } }),
      (res) => res.body?.code !== 'PERIOD.UNKNOWN_PROVINCE' && res.body?.code !== 'PERIOD.FRAMEWORK_NOT_PUBLISHED',
      'opening the period',
    );
    expect(opened.status).toBe(201);
  });

  it('imports the staff list, naming the rows it refuses, and each person activates and signs in', async () => {
    const csv = [
      'login,name,role,unit,province',
      ...DISTRICTS.flatMap((d) => [`${editor(d.code)},Cán bộ ${d.name},unit_editor,${d.code},`, `${lead(d.code)},Lãnh đạo ${d.name},unit_lead,${d.code},`]),
      `${REVIEWER},Thẩm định viên Sở TT&TT,reviewer,,${HUE}`,
      `${APPROVER},Lãnh đạo Sở TT&TT,approver,,${HUE}`,
      'thamdinh@daknong.gov.vn,Người tỉnh khác,reviewer,,67',
    ].join('\n');
    const res = await post(ADMIN, '/accounts/import').set('content-type', 'text/csv').send(csv);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 8, code: 'ACCOUNT.GRANT_OUT_OF_SCOPE' })]);
    const imported = res.body.imported as { login: string; activationLink: string | null; mailed: boolean }[];
    expect(imported.map((row) => row.login).sort()).toEqual([...DISTRICTS.flatMap((d) => [editor(d.code), lead(d.code)]), REVIEWER, APPROVER].sort());
    for (const row of imported) {
      expect(row).toMatchObject({ mailed: false, activationLink: expect.stringContaining('/activate?token=') });
      await activateAndSignIn(row.login, row.activationLink!);
    }
    expect((await get(editor('476'), '/me')).body).toMatchObject({ roles: ['unit_editor'], unitCode: '476', provinceCode: HUE });
  });

  it('carries each district through a whole cycle by those accounts: the editor saves, the lead submits, the reviewer reviews, a different approver approves', async () => {
    for (const district of DISTRICTS) {
      const base = `/periods/${PERIOD}/assessments/${district.code}`;
      expect((await post(editor(district.code), base)).status).toBe(201);
      const [first, second] = district.scores;
      expect((await post(editor(district.code), `${base}/criteria/D.HT.1/score`, { answer: { kind: 'value', value: first }, evidence: [] })).status).toBe(200);
      expect((await post(editor(district.code), `${base}/criteria/D.HT.2/score`, { answer: { kind: 'value', value: second }, evidence: [] })).status).toBe(200);
      const item = (action: string) => ({ action, periodId: PERIOD, unitCode: district.code, status: expect.any(String), since: expect.any(String) });
      await nextShows(editor(district.code), item('fill'));
      await nextShows(lead(district.code), item('submit'));
      // The editor may save but not submit; the lead of the other district may do neither here.
      expect((await post(editor(district.code), `${base}/submit`)).status).toBe(403);
      const otherLead = lead(DISTRICTS.find((d) => d.code !== district.code)!.code);
      expect((await post(otherLead, `${base}/submit`)).status).toBe(403);
      expect((await post(lead(district.code), `${base}/submit`)).status).toBe(200);
      await nextShows(REVIEWER, { action: 'review', periodId: PERIOD, unitCode: district.code, status: 'submitted', since: expect.any(String) });
      expect((await get(APPROVER, '/me')).body.next.items).not.toContainEqual(expect.objectContaining({ unitCode: district.code }));

      expect((await post(REVIEWER, `${base}/review/start`)).status).toBe(200);
      expect((await post(REVIEWER, `${base}/criteria/D.HT.1/accept`)).status).toBe(200);
      expect((await post(REVIEWER, `${base}/criteria/D.HT.2/accept`)).status).toBe(200);
      expect((await post(REVIEWER, `${base}/review/complete`)).status).toBe(200);
      const reviewed = await until(() => get(APPROVER, base), (res) => res.body?.status === 'reviewed', `${district.code} reviewed`);
      expect(reviewed.body.nextActions).toContain('ApproveAssessment');
      await nextShows(APPROVER, { action: 'approve', periodId: PERIOD, unitCode: district.code, status: 'reviewed', since: expect.any(String) });
      expect((await get(REVIEWER, '/me')).body.next.items).not.toContainEqual(expect.objectContaining({ unitCode: district.code }));
      expect((await post(APPROVER, `${base}/approve`, { revision: reviewed.body.revision })).status).toBe(200);
    }
  });

  it('lets the admin close and publish the period, and the public ranking shows it to anyone', async () => {
    for (const district of DISTRICTS) {
      await until(() => get(ADMIN, `/periods/${PERIOD}/assessments/${district.code}`), (res) => res.body?.status === 'approved', `${district.code} approved`);
    }
    expect((await get(ADMIN, '/me')).body.next).toEqual({ counts: { ...noWork, publish: 0 }, items: [] });
    expect((await post(ADMIN, `/periods/${PERIOD}/self-assessment/close`)).status).toBe(200);
    await nextShows(ADMIN, { action: 'publish', periodId: PERIOD, unitCode: null, status: 'self_assessment_closed', since: null });
    expect((await post(ADMIN, `/periods/${PERIOD}/publish`, { decisionNumber: '15/QĐ-UBND', decisionDate: '2031-01-15' })).status).toBe(200);

    const ranking = await until(
      () => t.http().get(`/periods/${PERIOD}/rankings/district/readiness`),
      (res) => res.status === 200 && res.body.provisional === false && res.body.ranked?.length === DISTRICTS.length,
      'the public ranking',
    );
    expect(ranking.body.decision).toEqual({ number: '15/QĐ-UBND', date: '2031-01-15' });
    await until(() => get(ADMIN, '/me'), (res) => res.body?.next?.counts?.publish === 0, 'nothing left to publish');
    for (const login of [REVIEWER, APPROVER, ...DISTRICTS.flatMap((d) => [editor(d.code), lead(d.code)])]) {
      expect({ login, next: (await get(login, '/me')).body.next }).toEqual({ login, next: { counts: noWork, items: [] } });
    }
    expect(ranking.body.ranked.map((row: { rank: number; unitCode: string; score: number; level: string }) => ({ rank: row.rank, unitCode: row.unitCode, score: row.score, level: row.level }))).toEqual([
      { rank: 1, unitCode: '476', score: 46, level: 'I' },
      { rank: 2, unitCode: '477', score: 41, level: 'II' },
    ]);
  });
});
