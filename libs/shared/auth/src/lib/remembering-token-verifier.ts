import { decodeJwt } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Principal } from './principal';
import { CLOCK_TOLERANCE_SECONDS, type TokenVerifier } from './token-verifier';

/**
 * How long a verified token is taken on trust. A signing key withdrawn from the JWKS (a
 * compromised key) stops working at most this much later; the token's own expiry still applies
 * to the second.
 */
export const VERIFIED_TOKEN_TRUST_MS = 60_000;

export interface RememberingTokenVerifierOptions {
  /** Tokens remembered at once; the least recently used are forgotten first. */
  readonly capacity?: number;
  readonly trustMs?: number;
  /** Epoch milliseconds; tests move it. */
  readonly now?: () => number;
}

interface Verified {
  readonly principal: Principal;
  /** Epoch ms after which the token must be verified again. */
  readonly until: number;
}

/**
 * Remembers the tokens another verifier accepted, so a client sending the same token with every
 * request pays for one signature check per minute instead of one per request (an ES256
 * verification is a tenth of a command's CPU). Only acceptances are remembered: a refused token
 * is checked again every time, and a remembered one is dropped at its expiry (with the same
 * clock tolerance the verification allows) or after `trustMs`, whichever comes first.
 */
export class RememberingTokenVerifier implements TokenVerifier {
  private readonly verified: LRUCache<string, Verified>;
  private readonly trustMs: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: TokenVerifier,
    options: RememberingTokenVerifierOptions = {},
  ) {
    this.verified = new LRUCache({ max: options.capacity ?? 10_000 });
    this.trustMs = options.trustMs ?? VERIFIED_TOKEN_TRUST_MS;
    this.now = options.now ?? Date.now;
  }

  async verify(token: string): Promise<Principal> {
    const now = this.now();
    const known = this.verified.get(token);
    if (known && now < known.until) return known.principal;
    if (known) this.verified.delete(token);
    const principal = await this.inner.verify(token);
    // The inner verifier required `exp` and checked the signature, so the claim can be read as is.
    const expiresAt = ((decodeJwt(token).exp ?? 0) + CLOCK_TOLERANCE_SECONDS) * 1000;
    const until = Math.min(now + this.trustMs, expiresAt);
    if (until > now) this.verified.set(token, { principal, until });
    return principal;
  }
}
