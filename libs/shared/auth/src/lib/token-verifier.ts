import { Logger } from '@nestjs/common';
import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import { invalidToken, keysUnavailable } from './auth.errors';
import type { Principal } from './principal';
import { principalFromClaims } from './principal-claims';

/** Turns a bearer token into a Principal, or throws a DomainError (AUTH.INVALID_TOKEN → 401). */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** Nest injection token of the TokenVerifier that AuthModule chose from the configuration. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** Enough for clocks that drift between the identity provider and the API, not enough to matter. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Asymmetric only: with a shared secret (HS*) anyone able to verify a token could also forge one. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface JwtExpectations {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
}

const logger = new Logger('TokenVerifier');

/** The verification both verifiers share; they differ only in where the keys come from. */
export async function verifyJwt(token: string, keys: JWTVerifyGetKey, expected: JwtExpectations): Promise<Principal> {
  let payload: Readonly<Record<string, unknown>>;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: expected.issuer,
      audience: expected.audience,
      algorithms: [...expected.algorithms],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      // A token without an expiry would be valid forever once leaked.
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw translateJoseError(error);
  }
  const parsed = principalFromClaims(payload);
  if (!parsed.ok) throw invalidToken(parsed.reason);
  return parsed.principal;
}

function translateJoseError(error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return invalidToken('the token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return invalidToken(claimReason((error as { claim?: unknown }).claim));
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return invalidToken('the signing algorithm is not accepted');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return invalidToken('the signature does not match a known key');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JWE_INVALID':
      return invalidToken('the token is malformed');
    default:
      // The key source failed (unreachable JWKS, bad key document): the caller did nothing wrong.
      logger.error({ err: error }, 'token signing keys unavailable');
      return keysUnavailable();
  }
}

function claimReason(claim: unknown): string {
  switch (claim) {
    case 'nbf':
      return 'the token is not valid yet';
    case 'iss':
      return 'the token comes from another issuer';
    case 'aud':
      return 'the token is meant for another audience';
    default:
      return typeof claim === 'string' && /^[a-z]{2,8}$/.test(claim) ? `the ${claim} claim is missing or invalid` : 'a claim is missing or invalid';
  }
}
