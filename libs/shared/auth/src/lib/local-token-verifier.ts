import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { LOCAL_KEY_ALGORITHM, type LocalKeySet } from './local-key-set';
import type { Principal } from './principal';
import { type TokenVerifier, verifyJwt } from './token-verifier';

export interface LocalTokenOptions {
  readonly issuer: string;
  readonly audience: string;
}

/** Embedded mode: tokens signed by the local key set, checked against its public keys only. */
export class LocalTokenVerifier implements TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    keySet: LocalKeySet,
    private readonly options: LocalTokenOptions,
  ) {
    this.keys = createLocalJWKSet(keySet.publicJwks);
  }

  verify(token: string): Promise<Principal> {
    return verifyJwt(token, this.keys, { issuer: this.options.issuer, audience: this.options.audience, algorithms: [LOCAL_KEY_ALGORITHM] });
  }
}
