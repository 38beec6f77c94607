import { SetMetadata } from '@nestjs/common';
import { ROLES_KEY } from './auth-policy';
import type { Role } from './principal';

/**
 * Only principals holding at least one of these roles may call the route (403 AUTH.FORBIDDEN_ROLE
 * otherwise). For "any signed-in user" write `@Roles(...ROLES)`, so the choice stays visible.
 */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
