import 'reflect-metadata';
import type { Role } from './principal';

export const IS_PUBLIC_KEY = 'tieuchi:auth:public';
export const ROLES_KEY = 'tieuchi:auth:roles';
export const IS_AUTHENTICATED_KEY = 'tieuchi:auth:authenticated';

/**
 * Who may call a route: anyone (`public`), any signed-in account whatever its grants
 * (`authenticated`: who am I, sign out, my tokens), or a principal holding one of `roles`.
 */
export type RoutePolicy = { readonly kind: 'public' } | { readonly kind: 'authenticated' } | { readonly kind: 'roles'; readonly roles: readonly Role[] };

/**
 * The handler's own declaration wins over its controller's, so one public route can sit in a
 * controller that requires roles. Both on the same target is read as roles: the stricter one.
 */
export function policyOf(handler: object, controller: object): RoutePolicy | undefined {
  return declaredOn(handler) ?? declaredOn(controller);
}

function declaredOn(target: object): RoutePolicy | undefined {
  const roles = Reflect.getMetadata(ROLES_KEY, target) as readonly Role[] | undefined;
  if (roles && roles.length > 0) return { kind: 'roles', roles };
  if (Reflect.getMetadata(IS_AUTHENTICATED_KEY, target) === true) return { kind: 'authenticated' };
  if (Reflect.getMetadata(IS_PUBLIC_KEY, target) === true) return { kind: 'public' };
  return undefined;
}
