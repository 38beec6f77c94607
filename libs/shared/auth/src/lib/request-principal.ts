import type { Principal } from './principal';

// Kept beside the request rather than on it, so nothing downstream can overwrite who the caller is.
const principals = new WeakMap<object, Principal>();

export function attachPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

/** The verified caller of a request, or undefined for an anonymous call to a public route. */
export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}
