import type { SessionCredentials } from './account-authenticator';
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

const sessions = new WeakMap<object, SessionCredentials>();

export function attachSession(request: object, session: SessionCredentials): void {
  sessions.set(request, session);
}

/** The browser session a request was authenticated by, when it came with the session cookie. */
export function sessionOf(request: object): SessionCredentials | undefined {
  return sessions.get(request);
}
