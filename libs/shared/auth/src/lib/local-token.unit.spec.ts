import { isDomainError } from '@tieuchi/shared/kernel';
import { SignJWT } from 'jose';
import { LocalKeySet } from './local-key-set';
import { LocalTokenIssuer } from './local-token-issuer';
import { LocalTokenVerifier } from './local-token-verifier';
import type { Principal } from './principal';

const settings = { issuer: 'tieuchi-local', audience: 'tieuchi' };
const editor: Principal = { id: 'editor.660@daknong', roles: ['unit_editor'], unitCode: '660', provinceCode: '67', national: false, name: 'Cán bộ nhập liệu Gia Nghĩa' };

async function refusal(promise: Promise<unknown>): Promise<{ code: string; category: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, category: error.category, message: error.message };
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe('local tokens (in-memory key set)', () => {
  let keys: LocalKeySet;
  let issuer: LocalTokenIssuer;
  let verifier: LocalTokenVerifier;

  beforeAll(async () => {
    keys = await LocalKeySet.generate();
    issuer = new LocalTokenIssuer(keys, settings);
    verifier = new LocalTokenVerifier(keys, settings);
  });

  it('verifies what it issued, back to the same principal', async () => {
    await expect(verifier.verify(await issuer.issue(editor))).resolves.toEqual(editor);
  });

  it('publishes only the public half of the key', () => {
    expect(keys.path).toBeNull();
    expect(keys.publicJwks.keys).toHaveLength(1);
    expect(keys.publicJwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: keys.kid, alg: 'ES256', use: 'sig' });
    expect(keys.publicJwks.keys[0]).not.toHaveProperty('d');
  });

  it('issues for eight hours by default', async () => {
    const token = await issuer.issue(editor, { now: new Date('2020-01-10T08:00:00Z') });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload).toMatchObject({ sub: editor.id, roles: ['unit_editor'], unit: '660', iss: 'tieuchi-local', aud: 'tieuchi' });
    expect(Number(payload['exp']) - Number(payload['iat'])).toBe(8 * 60 * 60);
  });

  it('refuses an expired token, but tolerates a little clock skew', async () => {
    const expired = await issuer.issue(editor, { now: new Date(Date.now() - 2 * 60 * 60 * 1000), ttlSeconds: 60 * 60 });
    await expect(refusal(verifier.verify(expired))).resolves.toMatchObject({ code: 'AUTH.INVALID_TOKEN', category: 'unauthenticated', message: expect.stringMatching(/expired/) });
    const justExpired = await issuer.issue(editor, { now: new Date(Date.now() - 65 * 1000), ttlSeconds: 60 });
    await expect(verifier.verify(justExpired)).resolves.toEqual(editor);
  });

  it('refuses a token that is not valid yet', async () => {
    const future = await issuer.issue(editor, { now: new Date(Date.now() + 10 * 60 * 1000) });
    await expect(refusal(verifier.verify(future))).resolves.toMatchObject({ code: 'AUTH.INVALID_TOKEN', message: expect.stringMatching(/not valid yet/) });
  });

  it('refuses tokens from another key, issuer or audience', async () => {
    const strangerKeys = await LocalKeySet.generate();
    const stranger = await new LocalTokenIssuer(strangerKeys, settings).issue(editor);
    await expect(refusal(verifier.verify(stranger))).resolves.toMatchObject({ code: 'AUTH.INVALID_TOKEN', message: expect.stringMatching(/signature/) });
    const otherIssuer = await new LocalTokenIssuer(keys, { ...settings, issuer: 'someone-else' }).issue(editor);
    await expect(refusal(verifier.verify(otherIssuer))).resolves.toMatchObject({ message: expect.stringMatching(/another issuer/) });
    const otherAudience = await new LocalTokenIssuer(keys, { ...settings, audience: 'another-app' }).issue(editor);
    await expect(refusal(verifier.verify(otherAudience))).resolves.toMatchObject({ message: expect.stringMatching(/another audience/) });
  });

  it('refuses a token signed with the right kid but another key', async () => {
    const other = await LocalKeySet.generate();
    const forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
      .setSubject('mallory')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('1h')
      .sign(other.signingKey);
    await expect(refusal(verifier.verify(forged))).resolves.toMatchObject({ code: 'AUTH.INVALID_TOKEN', message: expect.stringMatching(/signature/) });
  });

  it('refuses tampered, unsigned and symmetric tokens without leaking library messages', async () => {
    const [header, , signature] = (await issuer.issue(editor)).split('.');
    const elevated = Buffer.from(JSON.stringify({ sub: editor.id, roles: ['admin'], iss: settings.issuer, aud: settings.audience, exp: 4102444800 })).toString('base64url');
    await expect(refusal(verifier.verify(`${header}.${elevated}.${signature}`))).resolves.toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${elevated}.`;
    await expect(refusal(verifier.verify(none))).resolves.toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    const hmac = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a shared secret that anyone verifying would know'));
    await expect(refusal(verifier.verify(hmac))).resolves.toMatchObject({ message: expect.stringMatching(/algorithm is not accepted/) });
    const garbage = await refusal(verifier.verify('not-a-jwt'));
    expect(garbage).toEqual({ code: 'AUTH.INVALID_TOKEN', category: 'unauthenticated', message: 'The bearer token was refused: the token is malformed.' });
  });

  it('refuses a signed token whose claims do not make a principal', async () => {
    const unbound = await new SignJWT({ roles: ['unit_lead'] })
      .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
      .setSubject('lead@nowhere')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('1h')
      .sign(keys.signingKey);
    await expect(refusal(verifier.verify(unbound))).resolves.toMatchObject({ message: 'The bearer token was refused: a unit role needs a unit claim.' });
    const noExpiry = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
      .setSubject('forever')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .sign(keys.signingKey);
    await expect(refusal(verifier.verify(noExpiry))).resolves.toMatchObject({ message: expect.stringMatching(/exp claim/) });
  });

  it('will not issue a token the verifier would refuse', async () => {
    await expect(issuer.issue({ id: 'lead@nowhere', roles: ['unit_lead'], unitCode: null, provinceCode: null, national: false })).rejects.toThrow(/a unit role needs a unit claim/);
    await expect(issuer.issue(editor, { ttlSeconds: 0 })).rejects.toThrow(/positive number of seconds/);
  });
});
