import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { parse as parseCookies } from 'cookie';
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { ACCOUNT_AUTHENTICATOR, type AccountAuthenticator, API_TOKEN_PREFIX, CSRF_HEADER, SESSION_COOKIE } from './account-authenticator';
import { csrfRefused, forbiddenRole, invalidToken, missingToken, noPolicy, sessionExpired } from './auth.errors';
import { policyOf, type RoutePolicy } from './auth-policy';
import { hasAnyRole, type Principal } from './principal';
import { attachPrincipal, attachSession } from './request-principal';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier';
import { timingSafeEqual } from 'node:crypto';

// RFC 6750 b64token; anything longer than a few kilobytes is not a token we issue or accept.
const bearerPattern = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const maxHeaderLength = 8192;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Registered globally by AuthModule. Every route must declare @Public(), @Authenticated() or
 * @Roles(...): a route with none is refused, so a forgotten decorator fails closed instead of open.
 *
 * Credentials, in order: a bearer token (a personal API token, or a signed token confirmed against
 * its account), else the session cookie. Writes through the cookie must repeat the session's CSRF
 * token in X-CSRF-Token: a cross-site form can send the cookie but cannot read the token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Optional() @Inject(ACCOUNT_AUTHENTICATOR) private readonly accounts?: AccountAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    const controller = context.getClass();
    if (context.getType() !== 'http') {
      this.logger.error(`${controller.name}.${handler.name}: only HTTP routes are authorized; refused`);
      throw noPolicy();
    }
    const policy = policyOf(handler, controller);
    if (!policy) {
      this.logger.error(`${controller.name}.${handler.name} declares neither @Public(), @Authenticated() nor @Roles(...); refused`);
      throw noPolicy();
    }
    const request = context.switchToHttp().getRequest<Request>();
    const principal = await this.authenticate(request, policy);
    if (principal === undefined) {
      if (policy.kind === 'public') return true;
      throw missingToken();
    }
    attachPrincipal(request, principal);
    if (policy.kind === 'roles' && !hasAnyRole(principal, policy.roles)) throw forbiddenRole(policy.roles);
    return true;
  }

  private async authenticate(request: Request, policy: RoutePolicy): Promise<Principal | undefined> {
    const token = bearerToken(request.headers.authorization);
    if (token !== undefined) return this.bearer(token);
    const secret = this.accounts ? sessionSecret(request.headers.cookie) : undefined;
    if (secret === undefined || !this.accounts) return undefined;
    const session = await this.accounts.session(secret);
    if (!session) {
      // A stale cookie on a public page is an anonymous visit, not an error.
      if (policy.kind === 'public') return undefined;
      throw sessionExpired();
    }
    if (!safeMethods.has(request.method.toUpperCase()) && !sameToken(request.headers[CSRF_HEADER], session.csrfToken)) throw csrfRefused();
    attachSession(request, session);
    return session.principal;
  }

  private async bearer(token: string): Promise<Principal> {
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const principal = this.accounts ? await this.accounts.apiToken(token) : undefined;
      if (!principal) throw invalidToken('the API token is unknown, expired or revoked');
      return principal;
    }
    const principal = await this.verifier.verify(token);
    if (!this.accounts) return principal;
    const confirmed = await this.accounts.confirmSignedToken(principal, decodeJwt(token).iat);
    if (!confirmed) throw invalidToken('the account is not active or the token was revoked');
    return confirmed;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = header.length <= maxHeaderLength ? bearerPattern.exec(header) : null;
  if (!match?.[1]) throw invalidToken('the Authorization header must be "Bearer <token>"');
  return match[1];
}

function sessionSecret(header: string | undefined): string | undefined {
  if (header === undefined || header.length > maxHeaderLength) return undefined;
  const value = parseCookies(header)[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

function sameToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
