import { isDomainError } from '@tieuchi/shared/kernel';
import { decodeJwt } from 'jose';
import { LocalKeySet } from './local-key-set';
import { LocalTokenIssuer } from './local-token-issuer';
import { LocalTokenVerifier } from './local-token-verifier';
import type { Principal } from './principal';
import { RememberingTokenVerifier, VERIFIED_TOKEN_TRUST_MS } from './remembering-token-verifier';
import { CLOCK_TOLERANCE_SECONDS, type TokenVerifier } from './token-verifier';

const settings = { issuer: 'tieuchi-local', audience: 'tieuchi' };
const editor: Principal = { id: 'editor.660@daknong', roles: ['unit_editor'], unitCode: '660', provinceCode: '67', national: false };
const reviewer: Principal = { id: 'reviewer@daknong', roles: ['reviewer'], unitCode: null, provinceCode: '67', national: false };

/** The real verifier, counting the signature checks it is asked for. */
class CountingVerifier implements TokenVerifier {
  calls = 0;
  constructor(private readonly inner: TokenVerifier) {}
  verify(token: string): Promise<Principal> {
    this.calls += 1;
    return this.inner.verify(token);
  }
}

describe('RememberingTokenVerifier', () => {
  let issuer: LocalTokenIssuer;
  let keys: LocalKeySet;
  let counting: CountingVerifier;
  let clock: number;
  let verifier: RememberingTokenVerifier;

  beforeAll(async () => {
    keys = await LocalKeySet.generate();
    issuer = new LocalTokenIssuer(keys, settings);
  });

  beforeEach(() => {
    clock = Date.now();
    counting = new CountingVerifier(new LocalTokenVerifier(keys, settings));
    verifier = new RememberingTokenVerifier(counting, { now: () => clock, capacity: 2 });
  });

  it('checks a token once and answers its repeats from memory, with the same principal', async () => {
    const token = await issuer.issue(editor);
    await expect(verifier.verify(token)).resolves.toEqual(editor);
    await expect(verifier.verify(token)).resolves.toEqual(editor);
    await expect(verifier.verify(token)).resolves.toEqual(editor);
    expect(counting.calls).toBe(1);
  });

  it('keeps every token to its own principal', async () => {
    const [editorToken, reviewerToken] = await Promise.all([issuer.issue(editor), issuer.issue(reviewer)]);
    await expect(verifier.verify(editorToken)).resolves.toEqual(editor);
    await expect(verifier.verify(reviewerToken)).resolves.toEqual(reviewer);
    await expect(verifier.verify(editorToken)).resolves.toEqual(editor);
    expect(counting.calls).toBe(2);
  });

  it('never remembers a refusal, nor lets a tampered copy of a remembered token through', async () => {
    const token = await issuer.issue(editor);
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), roles: ['admin'] })).toString('base64url');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await verifier.verify(`${header}.${forged}.${signature}`).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDomainError(refused) && refused.code).toBe('AUTH.INVALID_TOKEN');
    }
    expect(counting.calls).toBe(3);
  });

  it('checks a token again from its expiry on (with the clock tolerance the verification allows)', async () => {
    verifier = new RememberingTokenVerifier(counting, { now: () => clock, trustMs: 60 * 60_000 });
    const token = await issuer.issue(editor, { ttlSeconds: 60 });
    await verifier.verify(token);
    const lastAccepted = (Number(decodeJwt(token).exp) + CLOCK_TOLERANCE_SECONDS) * 1000;
    clock = lastAccepted - 1;
    await verifier.verify(token);
    expect(counting.calls).toBe(1);
    clock = lastAccepted;
    // The inner verifier reads the real clock and still accepts; what matters is that it was asked.
    await verifier.verify(token);
    expect(counting.calls).toBe(2);
  });

  it(`checks a long-lived token again after ${VERIFIED_TOKEN_TRUST_MS / 1000} s, so a withdrawn key stops working soon`, async () => {
    const token = await issuer.issue(editor);
    await verifier.verify(token);
    clock += VERIFIED_TOKEN_TRUST_MS - 1;
    await verifier.verify(token);
    expect(counting.calls).toBe(1);
    clock += 1;
    await verifier.verify(token);
    expect(counting.calls).toBe(2);
  });

  it('holds at most its capacity, forgetting the least recently used token first', async () => {
    const tokens = await Promise.all([editor, reviewer, { ...editor, id: 'lead.660@daknong', roles: ['unit_lead'] } satisfies Principal].map((p) => issuer.issue(p)));
    for (const token of tokens) await verifier.verify(token);
    expect(counting.calls).toBe(3);
    await verifier.verify(tokens[2]!);
    await verifier.verify(tokens[1]!);
    expect(counting.calls).toBe(3);
    await verifier.verify(tokens[0]!);
    expect(counting.calls).toBe(4);
  });
});
