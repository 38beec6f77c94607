import { AccountCommands } from '@tieuchi/accounts/feature';
import { DAKNONG_PEOPLE } from '@tieuchi/demo/daknong';
import { provisionDaknongPeople } from '../demo/daknong-demo.loader';
import { startTestApp, type TestApp } from '../testing/test-app';
import { WORKSPACE_ROOT } from '@tieuchi/demo/daknong';
import { execFile } from 'node:child_process';

/** `npm run -s token <login>` against the test's database and key set, as the README runs it after `npm start -- --demo`. */
function tokenCommand(t: TestApp, login: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', './tools/register.cjs', 'tools/scripts/issue-token.ts', login],
      { cwd: WORKSPACE_ROOT, env: { ...process.env, EVENT_STORE: 'postgres', DATABASE_URL: t.config.databaseUrl, DATA_DIR: t.config.dataDir, NODE_OPTIONS: '' }, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `npm start -- --demo` creates the demo's people as accounts through the accounts commands. */
describe('the Đắk Nông demo people as accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);

  afterAll(() => t?.close());

  it('are provisioned as active accounts once, and a second start keeps them', async () => {
    const commands = t.app.get(AccountCommands);
    expect(await provisionDaknongPeople(commands)).toBe(DAKNONG_PEOPLE.length);
    expect(await provisionDaknongPeople(commands)).toBe(0);
    for (const person of DAKNONG_PEOPLE) {
      const { state } = await commands.load(person.login);
      expect(state).toMatchObject({ status: 'active', login: person.login, name: person.name, grants: person.grants });
    }
  });

  it('sign in with a token that carries the account’s grants, read back from the account', async () => {
    const me = await t.http().get('/me').set('Authorization', await t.bearer('editor.660@daknong'));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ login: 'editor.660@daknong', status: 'active', roles: ['unit_editor'], unitCode: '660', provinceCode: '67', name: 'Cán bộ nhập liệu Gia Nghĩa' });
    await expect(t.bearer('nobody@daknong')).rejects.toThrow(/not an active account/);
  });

  it('leave their grants, revocations and disabling in the audit trail, with who did it and why', async () => {
    const admin = await t.bearer('admin@daknong');
    const account = '/accounts/approver.2@daknong';
    const grant = { role: 'auditor', provinceCode: '67' };
    expect((await t.http().post(`${account}/grants`).set('Authorization', admin).send({ grant, reason: 'kiểm tra chéo 2019' })).status).toBe(200);
    expect((await t.http().post(`${account}/grants/revoke`).set('Authorization', admin).send({ grant, reason: 'hết đợt kiểm tra' })).status).toBe(200);
    expect((await t.http().post(`${account}/disable`).set('Authorization', admin).send({ reason: 'chuyển công tác' })).status).toBe(200);
    const nationalAuditor = await t.bearer({ id: 'auditor@bo.gov.vn', roles: ['auditor'], unitCode: null, provinceCode: null, national: true });
    const deadline = Date.now() + 20_000;
    let rows: { type: string; actor: string; summary: string; reason: string | null }[] = [];
    while (rows.length < 5 && Date.now() < deadline) {
      const res = await t.http().get('/audit/events?stream=account-approver.2@daknong&limit=50').set('Authorization', nationalAuditor);
      expect(res.status).toBe(200);
      rows = res.body.events;
      if (rows.length < 5) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(rows.map(({ type, actor, summary, reason }) => ({ type, actor, summary, reason }))).toEqual([
      { type: 'AccountInvited', actor: 'system:demo', summary: 'AccountInvited: status ∅ → invited; name ∅ → Lãnh đạo phê duyệt 2; grant:approver @ province 67 ∅ → granted — Đắk Nông demo', reason: 'Đắk Nông demo' },
      { type: 'AccountActivated', actor: 'system:demo', summary: 'AccountActivated: status invited → active; activated_by ∅ → provisioned', reason: null },
      { type: 'RoleGranted', actor: 'admin@daknong', summary: 'RoleGranted: grant:auditor @ province 67 ∅ → granted — kiểm tra chéo 2019', reason: 'kiểm tra chéo 2019' },
      { type: 'RoleRevoked', actor: 'admin@daknong', summary: 'RoleRevoked: grant:auditor @ province 67 granted → revoked — hết đợt kiểm tra', reason: 'hết đợt kiểm tra' },
      { type: 'AccountDisabled', actor: 'admin@daknong', summary: 'AccountDisabled: status active → disabled — chuyển công tác', reason: 'chuyển công tác' },
    ]);
  });

  it('get a token from the token command, which the API honours with the account’s grants; an unknown login gets none', async () => {
    await provisionDaknongPeople(t.app.get(AccountCommands));
    const issued = await tokenCommand(t, 'lead.662@daknong');
    expect({ code: issued.code, stdout: issued.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+\n$/) });
    const me = await t.http().get('/me').set('Authorization', `Bearer ${issued.stdout.trim()}`);
    expect(me.body).toMatchObject({ login: 'lead.662@daknong', roles: ['unit_lead'], unitCode: '662', provinceCode: '67' });
    const unknown = await tokenCommand(t, 'nobody@daknong');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('is not an active account');
  }, 400_000);

  it('lose access when an admin disables the account', async () => {
    const admin = await t.bearer('admin@daknong');
    const bearer = await t.bearer('reviewer.2@daknong');
    const disabled = await t.http().post('/accounts/reviewer.2@daknong/disable').set('Authorization', admin).send({ reason: 'nghỉ việc' });
    expect(disabled.status).toBe(200);
    expect((await t.http().get('/me').set('Authorization', bearer)).status).toBe(401);
  });
});
