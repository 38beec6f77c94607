import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { LOCAL_KEY_ALGORITHM, type LocalKeySet } from './local-key-set';
import type { LocalTokenOptions } from './local-token-verifier';
import type { Principal } from './principal';
import { claimsFromPrincipal, principalFromClaims } from './principal-claims';

/** A working day, so a demo or a test session does not have to log in again. */
export const DEFAULT_TOKEN_TTL_SECONDS = 8 * 60 * 60;

export interface IssueOptions {
  readonly ttlSeconds?: number;
  /** Issue as if at this moment (tests of expiry). */
  readonly now?: Date;
}

/** Signs tokens with the local key set for the demo users, tests and the `npm run token` command. */
export class LocalTokenIssuer {
  constructor(
    private readonly keySet: LocalKeySet,
    private readonly options: LocalTokenOptions,
  ) {}

  async issue(principal: Principal, options: IssueOptions = {}): Promise<string> {
    const claims = claimsFromPrincipal(principal);
    // Never sign what the verifier would refuse: the mistake shows here, not as a puzzling 401 later.
    const checked = principalFromClaims(claims);
    if (!checked.ok) throw new Error(`Cannot issue a token for ${principal.id}: ${checked.reason}`);
    const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl <= 0) throw new Error(`Cannot issue a token for ${principal.id}: the lifetime must be a positive number of seconds`);
    const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const { sub, ...custom } = claims;
    return new SignJWT({ ...custom })
      .setProtectedHeader({ alg: LOCAL_KEY_ALGORITHM, kid: this.keySet.kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .setJti(randomUUID())
      .sign(this.keySet.signingKey);
  }
}
