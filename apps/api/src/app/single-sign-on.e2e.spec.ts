import { AccountsQuery, bootstrapAdmin } from '@tieuchi/accounts/feature';
import { sparePort } from '@tieuchi/shared/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';

const password = 'mật-khẩu-thử-nghiệm-1';
const publicUrl = 'http://localhost:3999';
const people = {
  'sub-reviewer': { email: 'Reviewer@Tinh.Gov.Vn', email_verified: true, name: 'Nguyễn Thẩm Định' },
  'sub-unverified': { email: 'admin@tinh.gov.vn', email_verified: false },
  'sub-stranger': { email: 'nguoi.la@tinh.gov.vn', email_verified: true },
  'sub-invited': { email: 'moi.moi@tinh.gov.vn', email_verified: true },
  'sub-off': { email: 'nghi.viec@tinh.gov.vn', email_verified: true },
};

/** A browser's cookies, enough for the identity provider's own (names are unique across its paths). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function setCookie(res: request.Response, name: string): string | undefined {
  return ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((cookie) => cookie.startsWith(`${name}=`));
}

describe("single sign-on through the province's identity provider (OpenID Connect code flow with PKCE, against oidc-provider)", () => {
  let t: TestApp;
  let provider: ChildProcess;
  let issuer: string;
  let adminCookie: string;
  let adminCsrf: string;

  async function startProvider(): Promise<void> {
    const port = await sparePort();
    issuer = `http://127.0.0.1:${port}`;
    provider = spawn(process.execPath, [join(__dirname, '..', '..', '..', '..', 'test', 'oidc', 'oidc-provider-process.mjs')], {
      env: { ...process.env, PORT: String(port), OIDC_TEST_PEOPLE: JSON.stringify(people), OIDC_TEST_REDIRECT_URI: `${publicUrl}/auth/oidc/callback` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      provider.once('exit', (code) => reject(new Error(`the identity provider exited (${code})`)));
      provider.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    });
  }

  /** The browser's round trip: our start, the provider's authorize and interaction, back to our callback. */
  async function signInAs(subject: string, options: { returnTo?: string; flowCookie?: (cookie: string) => string | null } = {}): Promise<request.Response> {
    await fetch(`${issuer}/test/next-subject`, { method: 'POST', body: JSON.stringify({ subject }) });
    const started = await t.http().get(`/auth/oidc/start${options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : ''}`);
    expect(started.status).toBe(302);
    const flow = setCookie(started, 'tieuchi_oidc')!.split(';')[0]!;
    const jar = new CookieJar();
    let location = started.headers['location'] as string;
    // Follow the provider's redirects until it sends the browser back to us.
    while (location.startsWith(issuer) || location.startsWith('/')) {
      const next = new URL(location, issuer);
      const res = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(res.headers);
      const target = res.headers.get('location');
      if (!target) throw new Error(`the identity provider answered ${res.status} at ${next.pathname}: ${await res.text()}`);
      location = target;
    }
    expect(location.startsWith(`${publicUrl}/auth/oidc/callback?`)).toBe(true);
    const callback = new URL(location);
    const cookie = options.flowCookie ? options.flowCookie(flow) : flow;
    const back = t.http().get(`${callback.pathname}${callback.search}`);
    return cookie === null ? back : back.set('cookie', cookie);
  }

  const sessionOf = (res: request.Response): string => setCookie(res, 'tieuchi_session')!.split(';')[0]!;

  async function invite(login: string, activate: boolean): Promise<void> {
    const invited = await t.http().post('/accounts').set('cookie', adminCookie).set('x-csrf-token', adminCsrf).send({ login, name: login, grants: [{ role: 'reviewer', provinceCode: '67' }] });
    expect(invited.status).toBe(201);
    if (activate) {
      const token = new URL(invited.body.activationLink).searchParams.get('token');
      expect((await t.http().post('/auth/activate').send({ token, password })).status).toBe(200);
    }
  }

  beforeAll(async () => {
    await startProvider();
    t = await startTestApp({ oidcDiscoveryUrl: issuer, oidcClientId: 'tieuchi', oidcClientSecret: undefined, publicUrl });
    const issued = await bootstrapAdmin(t.app, { login: 'admin@tinh.gov.vn', name: 'Quản trị tỉnh', provinceCode: '67' });
    await t.http().post('/auth/activate').send({ token: new URL(issued.activationLink!).searchParams.get('token'), password });
    const signedIn = await t.http().post('/auth/sign-in').send({ login: 'admin@tinh.gov.vn', password });
    adminCookie = sessionOf(signedIn);
    adminCsrf = signedIn.body.csrfToken;
    await invite('reviewer@tinh.gov.vn', true);
    await invite('moi.moi@tinh.gov.vn', false);
    await invite('nghi.viec@tinh.gov.vn', true);
    const disabled = await t.http().post('/accounts/nghi.viec@tinh.gov.vn/disable').set('cookie', adminCookie).set('x-csrf-token', adminCsrf).send({ reason: 'nghỉ việc' });
    expect(disabled.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    provider?.kill();
  });

  it('says single sign-on is offered, and sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    expect((await t.http().get('/auth/methods')).body).toEqual({ password: true, oidc: true });
    const started = await t.http().get('/auth/oidc/start');
    const authorize = new URL(started.headers['location'] as string);
    expect(authorize.origin).toBe(issuer);
    expect(Object.fromEntries(['response_type', 'client_id', 'redirect_uri', 'scope', 'code_challenge_method'].map((name) => [name, authorize.searchParams.get(name)]))).toEqual({
      response_type: 'code',
      client_id: 'tieuchi',
      redirect_uri: `${publicUrl}/auth/oidc/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    for (const name of ['code_challenge', 'state', 'nonce']) expect(authorize.searchParams.get(name)?.length).toBeGreaterThanOrEqual(32);
    const flow = setCookie(started, 'tieuchi_oidc')!;
    expect(flow).toMatch(/HttpOnly/);
    expect(flow).toMatch(/Path=\/auth\/oidc/);
    expect(flow).not.toContain(authorize.searchParams.get('code_challenge')!);
  });

  it('signs in an active account by its verified e-mail, links the subject, records the sign-in, and returns to a path of this site', async () => {
    const res = await signInAs('sub-reviewer', { returnTo: '/review' });
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('/review');
    const me = await t.http().get('/me').set('cookie', sessionOf(res));
    expect(me.body).toMatchObject({ login: 'reviewer@tinh.gov.vn', roles: ['reviewer'], provinceCode: '67' });
    const events = await t.eventStore.readStream('account-reviewer@tinh.gov.vn');
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['OidcSubjectLinked', 'SignedIn']));
    expect(events.find((event) => event.type === 'OidcSubjectLinked')?.data).toEqual({ issuer, subject: 'sub-reviewer' });
    expect(events.filter((event) => event.type === 'SignedIn').at(-1)?.data).toMatchObject({ method: 'oidc' });
  });

  it('finds the account by its linked subject next time, whatever e-mail the provider then gives', async () => {
    const accounts = t.app.get(AccountsQuery);
    for (let waited = 0; (await accounts.loginOfOidcSubject(issuer, 'sub-reviewer')) === null; waited += 50) {
      if (waited > 10_000) throw new Error('the accounts list never showed the linked subject');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await fetch(`${issuer}/test/person`, { method: 'POST', body: JSON.stringify({ subject: 'sub-reviewer', claims: { email: 'ca.nhan@gmail.com', email_verified: false } }) });
    const res = await signInAs('sub-reviewer');
    expect(res.headers['location']).toBe('/');
    expect((await t.http().get('/me').set('cookie', sessionOf(res))).body).toMatchObject({ login: 'reviewer@tinh.gov.vn' });
  });

  it('activates an invited account on its first sign-in, and refuses a disabled one, an unknown one and an unverified e-mail', async () => {
    const invited = await signInAs('sub-invited');
    expect(invited.headers['location']).toBe('/');
    expect((await t.http().get('/me').set('cookie', sessionOf(invited))).body).toMatchObject({ login: 'moi.moi@tinh.gov.vn', status: 'active' });
    for (const [subject, reason] of [
      ['sub-off', 'not_active'],
      ['sub-stranger', 'no_account'],
      ['sub-unverified', 'no_account'],
    ] as const) {
      const res = await signInAs(subject);
      expect({ subject, status: res.status, location: res.headers['location'], session: setCookie(res, 'tieuchi_session') }).toEqual({
        subject,
        status: 302,
        location: `/sign-in?sso=${reason}`,
        session: undefined,
      });
    }
  });

  it('refuses a callback without its flow or with another flow, and never redirects off the site', async () => {
    const missing = await signInAs('sub-reviewer', { flowCookie: () => null });
    expect(missing.headers['location']).toBe('/sign-in?sso=flow_missing');
    const otherStarted = await t.http().get('/auth/oidc/start');
    const otherFlow = setCookie(otherStarted, 'tieuchi_oidc')!.split(';')[0]!;
    const swapped = await signInAs('sub-reviewer', { flowCookie: () => otherFlow });
    expect(swapped.headers['location']).toBe('/sign-in?sso=provider_refused');
    expect(setCookie(swapped, 'tieuchi_session')).toBeUndefined();
    const offSite = await signInAs('sub-reviewer', { returnTo: '//evil.example/phishing' });
    expect(offSite.headers['location']).toBe('/');
  });
});

describe('single sign-on when no identity provider is configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);
  afterAll(() => t?.close());

  it('offers the password only, and answers 404 AUTH.OIDC_NOT_CONFIGURED', async () => {
    expect((await t.http().get('/auth/methods')).body).toEqual({ password: true, oidc: false });
    expect((await t.http().get('/auth/oidc/start')).body).toMatchObject({ status: 404, code: 'AUTH.OIDC_NOT_CONFIGURED' });
  });
});
