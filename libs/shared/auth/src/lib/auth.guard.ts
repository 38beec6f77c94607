import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { forbiddenRole, invalidToken, missingToken, noPolicy } from './auth.errors';
import { policyOf } from './auth-policy';
import { hasAnyRole } from './principal';
import { attachPrincipal } from './request-principal';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier';

// RFC 6750 b64token; anything longer than a few kilobytes is not a token we issue or accept.
const bearerPattern = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const maxHeaderLength = 8192;

/**
 * Registered globally by AuthModule. Every route must declare @Public() or @Roles(...): a route
 * with neither is refused, so a forgotten decorator fails closed instead of open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    const controller = context.getClass();
    if (context.getType() !== 'http') {
      this.logger.error(`${controller.name}.${handler.name}: only HTTP routes are authorized; refused`);
      throw noPolicy();
    }
    const policy = policyOf(handler, controller);
    if (!policy) {
      this.logger.error(`${controller.name}.${handler.name} declares neither @Public() nor @Roles(...); refused`);
      throw noPolicy();
    }
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      if (policy.kind === 'public') return true;
      throw missingToken();
    }
    const principal = await this.verifier.verify(token);
    attachPrincipal(request, principal);
    if (policy.kind === 'roles' && !hasAnyRole(principal, policy.roles)) throw forbiddenRole(policy.roles);
    return true;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = header.length <= maxHeaderLength ? bearerPattern.exec(header) : null;
  if (!match?.[1]) throw invalidToken('the Authorization header must be "Bearer <token>"');
  return match[1];
}
