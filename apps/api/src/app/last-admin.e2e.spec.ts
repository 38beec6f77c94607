import { AccountsProjection, bootstrapAdmin } from '@tieuchi/accounts/feature';
import type request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';

const password = 'mật-khẩu-thử-nghiệm-1';

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

const sessionOf = (res: request.Response): string =>
  ((res.headers['set-cookie'] as unknown as string[]) ?? []).find((cookie) => cookie.startsWith('tieuchi_session='))!.split(';')[0]!;

describe('the last admin of a province', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);
  afterAll(() => t?.close());

  async function signIn(login: string): Promise<Session> {
    const res = await t.http().post('/auth/sign-in').send({ login, password });
    expect(res.status).toBe(200);
    return { cookie: sessionOf(res), csrf: res.body.csrfToken };
  }

  /** Two signed-in admins of one province, once the accounts list shows the second one active (removals find the other admin through it). */
  async function twoAdmins(provinceCode: string, first: string, second: string): Promise<[Session, Session]> {
    const issued = await bootstrapAdmin(t.app, { login: first, name: 'Quản trị đầu', provinceCode });
    await t.http().post('/auth/activate').send({ token: new URL(issued.activationLink!).searchParams.get('token'), password });
    const a = await signIn(first);
    const invited = await t.http().post('/accounts').set('cookie', a.cookie).set('x-csrf-token', a.csrf).send({ login: second, name: 'Quản trị sau', grants: [{ role: 'admin', provinceCode }] });
    await t.http().post('/auth/activate').send({ token: new URL(invited.body.activationLink).searchParams.get('token'), password });
    const b = await signIn(second);
    for (const deadline = Date.now() + 30_000; ; ) {
      const listed = await t.http().get('/accounts?role=admin').set('cookie', a.cookie);
      if ((listed.body.items as { login: string; status: string }[]).some((item) => item.login === second && item.status === 'active')) return [a, b];
      if (Date.now() > deadline) throw new Error('the list never showed the second admin active');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('is never removed when two admins remove each other at the same moment: one removal wins, the other is refused', async () => {
    for (const round of [1, 2, 3, 4, 5, 6]) {
      const province = String(70 + round);
      const first = `dau.${round}@tinh.gov.vn`;
      const second = `sau.${round}@tinh.gov.vn`;
      const [a, b] = await twoAdmins(province, first, second);
      // Alternate the two kinds of removal: a revocation against a revocation, then a disable against a revocation.
      const byA =
        round % 2 === 0
          ? t.http().post(`/accounts/${second}/disable`).set('cookie', a.cookie).set('x-csrf-token', a.csrf).send({ reason: 'chuyển công tác' })
          : t.http().post(`/accounts/${second}/grants/revoke`).set('cookie', a.cookie).set('x-csrf-token', a.csrf).send({ grant: { role: 'admin', provinceCode: province }, reason: 'thử' });
      const byB = t.http().post(`/accounts/${first}/grants/revoke`).set('cookie', b.cookie).set('x-csrf-token', b.csrf).send({ grant: { role: 'admin', provinceCode: province }, reason: 'thử' });
      const answers = await Promise.all([byA, byB]);
      expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
      expect(answers.find((res) => res.status === 409)!.body.code).toBe('ACCOUNT.LAST_ADMIN');
    }
  }, 120_000);

  // Runs last: it stops the accounts projection for the rest of this app.
  it('is never removed, even when the list still shows another admin who was just disabled', async () => {
    const [first, second] = await twoAdmins('67', 'admin.mot@tinh.gov.vn', 'admin.hai@tinh.gov.vn');
    // From here on the list stays as it is: it shows both admins active, whatever happens next.
    await t.app.get(AccountsProjection).onModuleDestroy();
    const disabled = await t.http().post('/accounts/admin.hai@tinh.gov.vn/disable').set('cookie', first.cookie).set('x-csrf-token', first.csrf).send({ reason: 'chuyển công tác' });
    expect(disabled.status).toBe(200);
    const revoked = await t.http().post('/accounts/admin.mot@tinh.gov.vn/grants/revoke').set('cookie', first.cookie).set('x-csrf-token', first.csrf).send({ grant: { role: 'admin', provinceCode: '67' }, reason: 'thử' });
    expect({ status: revoked.status, code: revoked.body.code }).toEqual({ status: 409, code: 'ACCOUNT.LAST_ADMIN' });
    // The disabled admin is out at once; the one left keeps the role.
    expect((await t.http().get('/me').set('cookie', second.cookie)).status).toBe(401);
    expect((await t.http().get('/me').set('cookie', first.cookie)).body.roles).toEqual(['admin']);
  });
});
