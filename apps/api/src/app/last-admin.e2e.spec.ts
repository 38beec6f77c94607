import { AccountsProjection, bootstrapAdmin } from '@tieuchi/accounts/feature';
import type request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';

const password = 'mật-khẩu-thử-nghiệm-1';

const sessionOf = (res: request.Response): string =>
  ((res.headers['set-cookie'] as unknown as string[]) ?? []).find((cookie) => cookie.startsWith('tieuchi_session='))!.split(';')[0]!;

describe('the last admin of a province, while the accounts list lags behind', () => {
  let t: TestApp;
  const signIn = async (login: string): Promise<{ cookie: string; csrf: string }> => {
    const res = await t.http().post('/auth/sign-in').send({ login, password });
    expect(res.status).toBe(200);
    return { cookie: sessionOf(res), csrf: res.body.csrfToken };
  };

  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);
  afterAll(() => t?.close());

  it('is never removed, even when the list still shows another admin who was just disabled', async () => {
    const issued = await bootstrapAdmin(t.app, { login: 'admin.mot@tinh.gov.vn', name: 'Quản trị 1', provinceCode: '67' });
    await t.http().post('/auth/activate').send({ token: new URL(issued.activationLink!).searchParams.get('token'), password });
    const first = await signIn('admin.mot@tinh.gov.vn');
    const invited = await t.http().post('/accounts').set('cookie', first.cookie).set('x-csrf-token', first.csrf).send({ login: 'admin.hai@tinh.gov.vn', name: 'Quản trị 2', grants: [{ role: 'admin', provinceCode: '67' }] });
    await t.http().post('/auth/activate').send({ token: new URL(invited.body.activationLink).searchParams.get('token'), password });
    const second = await signIn('admin.hai@tinh.gov.vn');
    const projection = t.app.get(AccountsProjection);
    for (let waited = 0; ; waited += 50) {
      const listed = await t.http().get('/accounts?role=admin').set('cookie', first.cookie);
      if ((listed.body.items as { login: string; status: string }[]).some((item) => item.login === 'admin.hai@tinh.gov.vn' && item.status === 'active')) break;
      if (waited > 10_000) throw new Error('the list never showed the second admin active');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // From here on the list stays as it is: it shows both admins active, whatever happens next.
    await projection.onModuleDestroy();
    const disabled = await t.http().post('/accounts/admin.hai@tinh.gov.vn/disable').set('cookie', first.cookie).set('x-csrf-token', first.csrf).send({ reason: 'chuyển công tác' });
    expect(disabled.status).toBe(200);
    const revoked = await t.http().post('/accounts/admin.mot@tinh.gov.vn/grants/revoke').set('cookie', first.cookie).set('x-csrf-token', first.csrf).send({ grant: { role: 'admin', provinceCode: '67' }, reason: 'thử' });
    expect({ status: revoked.status, code: revoked.body.code }).toEqual({ status: 409, code: 'ACCOUNT.LAST_ADMIN' });
    // The disabled admin is out at once; the one left keeps the role.
    expect((await t.http().get('/me').set('cookie', second.cookie)).status).toBe(401);
    expect((await t.http().get('/me').set('cookie', first.cookie)).body.roles).toEqual(['admin']);
  });
});
