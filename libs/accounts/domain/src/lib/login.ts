/**
 * Logins are e-mail addresses (the demo's `admin@daknong` has no dot in its domain, so none is
 * required). Lower case, at most 254 characters as RFC 5321 allows.
 */
export const LOGIN_PATTERN = /^[a-z0-9._%+-]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)*$/;

export function isValidLogin(login: string): boolean {
  return login.length <= 254 && LOGIN_PATTERN.test(login);
}

/** Passwords: at least 10 characters (NIST SP 800-63B asks 8; a province's staff get 10), at most 200 (hashing cost stays bounded). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
