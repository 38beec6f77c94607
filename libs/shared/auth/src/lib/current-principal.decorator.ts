import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { missingToken } from './auth.errors';
import type { Principal } from './principal';
import { principalOf } from './request-principal';

export interface CurrentPrincipalOptions {
  /** On a public route the caller may be anonymous; the parameter is then undefined. */
  readonly optional?: boolean;
}

/**
 * The verified caller: `@CurrentPrincipal() principal: Principal`, or on public routes
 * `@CurrentPrincipal({ optional: true }) principal: Principal | undefined`.
 */
export const CurrentPrincipal = createParamDecorator(
  (options: CurrentPrincipalOptions | undefined, context: ExecutionContext): Principal | undefined => {
    const principal = principalOf(context.switchToHttp().getRequest<object>());
    if (!principal && !options?.optional) throw missingToken();
    return principal;
  },
);
