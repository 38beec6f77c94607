import { ACCOUNT_VIEW_TTL_MS } from '@tieuchi/accounts/feature';
import { LocalTokenIssuer, type Principal } from '@tieuchi/shared/auth';
import { sparePort } from '@tieuchi/shared/testing';
import { decodeJwt, exportJWK, generateKeyPair, type JWK, type KeyLike, SignJWT } from 'jose';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../testing/test-app';

// A token names its account; what it may do is the account's grants in tieuchi, never the token's claims.
const auditorOnly: Principal = { id: 'kiem.toan@tinh.gov.vn', roles: ['auditor'], unitCode: null, provinceCode: '67', national: false };
const claimsAdmin = (id: string): Principal => ({ id, roles: ['admin'], unitCode: null, provinceCode: null, national: true });

describe('signed tokens: the account is named by the token, its grants are read from tieuchi (issue 16)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);

  afterAll(() => t?.close());

  it('acts as auditor with a token whose claims say national admin, for an account granted only auditor', async () => {
    await t.bearer(auditorOnly);
    const forged = `Bearer ${await t.app.get(LocalTokenIssuer).issue(claimsAdmin(auditorOnly.id))}`;
    const me = await t.http().get('/me').set('Authorization', forged);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ login: auditorOnly.id, roles: ['auditor'], provinceCode: '67', national: false });
    const accounts = await t.http().get('/accounts').set('Authorization', forged);
    expect({ status: accounts.status, code: accounts.body.code }).toEqual({ status: 403, code: 'AUTH.FORBIDDEN_ROLE' });
    const invited = await t.http().post('/accounts').set('Authorization', forged).send({ login: 'ke.gia@tinh.gov.vn', name: 'Kẻ giả', grants: [{ role: 'admin', national: true }] });
    expect({ status: invited.status, code: invited.body.code }).toEqual({ status: 403, code: 'AUTH.FORBIDDEN_ROLE' });
    // What an auditor may do, it still does.
    expect((await t.http().get('/audit/events?limit=1').set('Authorization', forged)).status).toBe(200);
  });

  it("binds a unit editor to the account's unit, whatever unit the token claims", async () => {
    const editor = await t.bearer('editor.660@daknong');
    const claimed = `Bearer ${await t.app.get(LocalTokenIssuer).issue({ id: 'editor.660@daknong', roles: ['unit_editor', 'admin'], unitCode: '662', provinceCode: '67', national: false })}`;
    const me = await t.http().get('/me').set('Authorization', claimed);
    expect(me.body).toMatchObject({ login: 'editor.660@daknong', roles: ['unit_editor'], unitCode: '660' });
    expect((await t.http().get('/me').set('Authorization', editor)).body).toMatchObject({ roles: ['unit_editor'], unitCode: '660' });
  });

  it('refuses a token for a login that has no account, whatever it claims', async () => {
    const stranger = `Bearer ${await t.app.get(LocalTokenIssuer).issue(claimsAdmin('nguoi.la@tinh.gov.vn'))}`;
    const res = await t.http().get('/me').set('Authorization', stranger);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'AUTH.INVALID_TOKEN' });
  });

  it('follows a grant given after the token was signed, and a grant revoked, at once in the same process', async () => {
    const login = 'quan.tri.2@tinh.gov.vn';
    const token = await t.bearer({ id: login, roles: ['auditor'], unitCode: null, provinceCode: '67', national: false });
    expect((await t.http().get('/accounts').set('Authorization', token)).status).toBe(403);
    await t.accounts.grant(login, { role: 'admin', provinceCode: '67' });
    expect((await t.http().get('/accounts').set('Authorization', token)).status).toBe(200);
    await t.accounts.revoke(login, { role: 'admin', provinceCode: '67' });
    const after = await t.http().get('/accounts').set('Authorization', token);
    expect({ status: after.status, code: after.body.code }).toEqual({ status: 403, code: 'AUTH.FORBIDDEN_ROLE' });
    // The token itself stays valid for what the account still holds.
    expect((await t.http().get('/audit/events?limit=1').set('Authorization', token)).status).toBe(200);
  });

  it('refuses a signed token issued before "sign out everywhere"', async () => {
    const login = 'ra.ve@tinh.gov.vn';
    const token = await t.bearer({ id: login, roles: ['auditor'], unitCode: null, provinceCode: '67', national: false });
    expect((await t.http().get('/me').set('Authorization', token)).status).toBe(200);
    expect((await t.http().post('/auth/sign-out-everywhere').set('Authorization', token)).status).toBe(204);
    const after = await t.http().get('/me').set('Authorization', token);
    expect({ status: after.status, code: after.body.code }).toEqual({ status: 401, code: 'AUTH.INVALID_TOKEN' });
  });

  describe('another API process on the same database (the documented revocation bound)', () => {
    let other: TestApp;

    beforeAll(async () => {
      other = await startTestApp({ databaseUrl: t.config.databaseUrl, dataDir: t.config.dataDir, runWorker: 'false' });
    }, 60_000);

    afterAll(() => other?.close());

    it(`stops honouring a revoked grant within ACCOUNT_VIEW_TTL_MS (${ACCOUNT_VIEW_TTL_MS} ms) of its last read`, async () => {
      const login = 'quan.tri.3@tinh.gov.vn';
      const admin = { role: 'admin', provinceCode: '67' } as const;
      const token = await t.bearer({ id: login, roles: ['admin'], unitCode: null, provinceCode: '67', national: false });
      // The other process reads the account now and trusts that read for at most the bound.
      expect((await other.http().get('/accounts').set('Authorization', token)).status).toBe(200);
      const lastRead = Date.now();
      await t.accounts.revoke(login, admin);
      expect((await t.http().get('/accounts').set('Authorization', token)).status).toBe(403);
      await sleep(Math.max(0, lastRead + ACCOUNT_VIEW_TTL_MS + 50 - Date.now()));
      const after = await other.http().get('/accounts').set('Authorization', token);
      expect({ status: after.status, code: after.body.code }).toEqual({ status: 403, code: 'AUTH.FORBIDDEN_ROLE' });
    }, 30_000);
  });
});

describe('the OIDC bearer mode (AUTH_MODE=oidc): roles claimed by the identity provider grant nothing', () => {
  const issuer = 'https://id.tinh.gov.vn/realms/daknong';
  const audience = 'tieuchi-api';
  let t: TestApp;
  let jwks: Server;
  let signingKey: KeyLike;

  const providerToken = (sub: string, claims: Record<string, unknown>): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).setSubject(sub).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(signingKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const oidcJwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/certs`;
    t = await startTestApp({ authMode: 'oidc', oidcJwksUrl, oidcIssuer: issuer, oidcAudience: audience });
    await t.accounts.ensure(auditorOnly);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  it("acts with the account's grants: a provider token claiming national admin for an auditor's account is refused an admin route", async () => {
    const token = `Bearer ${await providerToken(auditorOnly.id, { roles: ['admin'], national: true, name: 'Quản trị giả' })}`;
    const me = await t.http().get('/me').set('Authorization', token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ login: auditorOnly.id, roles: ['auditor'], provinceCode: '67', national: false });
    const res = await t.http().get('/accounts').set('Authorization', token);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'AUTH.FORBIDDEN_ROLE' });
  });

  it("acts with the account's grants for a provider token that claims no roles at all", async () => {
    const token = `Bearer ${await providerToken(auditorOnly.id, { email: auditorOnly.id })}`;
    const me = await t.http().get('/me').set('Authorization', token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ login: auditorOnly.id, roles: ['auditor'], provinceCode: '67' });
    expect((await t.http().get('/audit/events?limit=1').set('Authorization', token)).status).toBe(200);
  });

  it('refuses a provider token for a subject that has no account, whatever roles it claims', async () => {
    const token = `Bearer ${await providerToken('nguoi.la@tinh.gov.vn', { roles: ['admin'], national: true })}`;
    const res = await t.http().get('/me').set('Authorization', token);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'AUTH.INVALID_TOKEN' });
  });
});

describe('the OIDC bearer mode against oidc-provider (a real identity provider process): its roles claims grant nothing', () => {
  const login = 'kiem.toan.idp@tinh.gov.vn';
  const clientId = 'tieuchi';
  const redirectUri = 'http://localhost:3999/cb';
  let provider: ChildProcess;
  let issuer: string;
  let t: TestApp;

  /** The code flow with PKCE as a script would run it, for the provider's ID token. */
  async function idTokenOf(subject: string): Promise<string> {
    await fetch(`${issuer}/test/next-subject`, { method: 'POST', body: JSON.stringify({ subject }) });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = { client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'openid email tieuchi', code_challenge: challenge, code_challenge_method: 'S256', state: 's', nonce: 'n' };
    let location = `${issuer}/auth?${new URLSearchParams(query).toString()}`;
    const cookies = new Map<string, string>();
    while (!location.startsWith(redirectUri)) {
      const res = await fetch(new URL(location, issuer), { redirect: 'manual', headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } });
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      const next = res.headers.get('location');
      if (!next) throw new Error(`the identity provider answered ${res.status}: ${await res.text()}`);
      location = next;
    }
    const code = new URL(location).searchParams.get('code') ?? '';
    const exchanged = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }),
    });
    const body = (await exchanged.json()) as { id_token?: string };
    if (!body.id_token) throw new Error(`no ID token: ${JSON.stringify(body)}`);
    return body.id_token;
  }

  beforeAll(async () => {
    const port = await sparePort();
    issuer = `http://127.0.0.1:${port}`;
    const people = { [login]: { email: login, email_verified: true, roles: ['admin'], national: true } };
    provider = spawn(process.execPath, [join(__dirname, '..', '..', '..', '..', 'test', 'oidc', 'oidc-provider-process.mjs')], {
      env: { ...process.env, PORT: String(port), OIDC_TEST_PEOPLE: JSON.stringify(people), OIDC_TEST_REDIRECT_URI: redirectUri, OIDC_TEST_CLIENT_ID: clientId, OIDC_TEST_ID_TOKEN_CLAIMS: 'true' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve, reject) => {
      provider.once('exit', (code) => reject(new Error(`the identity provider exited (${code})`)));
      provider.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    });
    t = await startTestApp({ authMode: 'oidc', oidcJwksUrl: `${issuer}/jwks`, oidcIssuer: issuer, oidcAudience: clientId });
    await t.accounts.ensure({ id: login, roles: ['auditor'], unitCode: null, provinceCode: '67', national: false });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    provider?.kill();
  });

  it("acts as the account's auditor grant with the provider's token claiming national admin", async () => {
    const token = await idTokenOf(login);
    // The provider really claims the role: the test would prove nothing otherwise.
    expect(decodeJwt(token)).toMatchObject({ iss: issuer, aud: clientId, sub: login, roles: ['admin'], national: true });
    const me = await t.http().get('/me').set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ login, roles: ['auditor'], provinceCode: '67', national: false });
    const accounts = await t.http().get('/accounts').set('Authorization', `Bearer ${token}`);
    expect({ status: accounts.status, code: accounts.body.code }).toEqual({ status: 403, code: 'AUTH.FORBIDDEN_ROLE' });
    expect((await t.http().get('/audit/events?limit=1').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });
});
