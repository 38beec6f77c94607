import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { isDomainError } from '@tieuchi/shared/kernel';
import { exportJWK, generateKeyPair, type JWK, type KeyLike, SignJWT } from 'jose';
import { OidcTokenVerifier } from './oidc-token-verifier';

const issuer = 'https://id.example.vn/realms/daknong';
const audience = 'tieuchi-api';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return `${error.code} ${error.category}`;
    throw error;
  }
  return 'accepted';
}

describe('OIDC token verifier against a JWKS endpoint', () => {
  let server: Server;
  let jwksUrl: string;
  let signingKey: KeyLike;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function token(claims: Record<string, unknown>, iss = issuer, aud = audience): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).setSubject('reviewer.1').setIssuer(iss).setAudience(aud).setExpirationTime('5m').sign(signingKey);
  }

  it("accepts the provider's token and reads the principal from it", async () => {
    const verifier = new OidcTokenVerifier({ jwksUrl, issuer, audience });
    await expect(verifier.verify(await token({ roles: ['reviewer'], province: '46', name: 'Thẩm định viên' }))).resolves.toEqual({
      id: 'reviewer.1',
      roles: ['reviewer'],
      unitCode: null,
      provinceCode: '46',
      national: false,
      name: 'Thẩm định viên',
    });
  });

  it('refuses another issuer, another audience and symmetric algorithms', async () => {
    const verifier = new OidcTokenVerifier({ jwksUrl, issuer, audience });
    await expect(codeOf(verifier.verify(await token({ roles: ['admin'], province: '46' }, 'https://evil.example')))).resolves.toBe('AUTH.INVALID_TOKEN unauthenticated');
    await expect(codeOf(verifier.verify(await token({ roles: ['admin'], province: '46' }, issuer, 'other-app')))).resolves.toBe('AUTH.INVALID_TOKEN unauthenticated');
    const hmac = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'idp-1' })
      .setSubject('mallory')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('guessable'));
    await expect(codeOf(verifier.verify(hmac))).resolves.toBe('AUTH.INVALID_TOKEN unauthenticated');
  });

  it('answers an unreachable key endpoint as a server fault, not as a bad token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const verifier = new OidcTokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/certs`, issuer, audience });
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await expect(codeOf(verifier.verify(await token({ roles: ['admin'], province: '46' })))).resolves.toBe('AUTH.KEYS_UNAVAILABLE internal');
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.objectContaining({ code: 'ECONNREFUSED' }) }), 'token signing keys unavailable');
    } finally {
      logged.mockRestore();
    }
  });
});
