import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Principal } from './principal';
import { ASYMMETRIC_ALGORITHMS, type TokenVerifier, verifyJwt } from './token-verifier';

export interface OidcVerifierOptions {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
}

/** Production: tokens from an OIDC provider, keys fetched (and cached, refetched on an unknown kid) from its JWKS URL. */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: OidcVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl));
  }

  verify(token: string): Promise<Principal> {
    return verifyJwt(token, this.keys, { issuer: this.options.issuer, audience: this.options.audience, algorithms: ASYMMETRIC_ALGORITHMS });
  }
}
