import type { Principal } from './principal';

/** Name of the browser session cookie (httpOnly, SameSite=Lax, Secure outside localhost). */
export const SESSION_COOKIE = 'tieuchi_session';
/** Header carrying the session's CSRF token on cookie-authenticated writes. */
export const CSRF_HEADER = 'x-csrf-token';
/** Personal API tokens start with this, so the guard tells them from signed tokens without trying both. */
export const API_TOKEN_PREFIX = 'tcp_';

export interface SessionCredentials {
  readonly principal: Principal;
  readonly csrfToken: string;
  /** The session's id as the accounts context knows it (never the cookie's secret). */
  readonly sessionId: string;
}

/**
 * What the accounts context tells the guard about a request's credentials. Each answers undefined
 * for credentials that are unknown, expired, revoked, or belong to an account that may not sign in.
 */
export interface AccountAuthenticator {
  session(secret: string): Promise<SessionCredentials | undefined>;
  apiToken(token: string): Promise<Principal | undefined>;
  /** A signed token's principal, confirmed against its account (active, not signed out since `issuedAt`). */
  confirmSignedToken(principal: Principal, issuedAt: number | undefined): Promise<Principal | undefined>;
}

export const ACCOUNT_AUTHENTICATOR = Symbol('ACCOUNT_AUTHENTICATOR');
