import type { Grant } from './grants';

export interface ActivationLink {
  readonly linkId: string;
  readonly purpose: 'activation' | 'reset';
  readonly expiresAt: string;
}

export interface ApiTokenRecord {
  readonly tokenId: string;
  readonly name: string;
  readonly createdAt: string | null;
  readonly expiresAt: string;
}

export interface AccountDetails {
  readonly login: string;
  readonly name: string;
  readonly grants: readonly Grant[];
  /** The one link that may still be used; issuing another replaces it, using it clears it. */
  readonly pendingLink: ActivationLink | null;
  /** Sessions and tokens issued before this instant are refused ("sign out everywhere", disable). */
  readonly credentialsValidAfter: string | null;
  readonly apiTokens: readonly ApiTokenRecord[];
  readonly oidcSubjects: readonly { readonly issuer: string; readonly subject: string }[];
  readonly lastSignInAt: string | null;
  readonly hasPassword: boolean;
}

export type AccountState =
  | { readonly status: 'none' }
  | (AccountDetails & { readonly status: 'invited' })
  | (AccountDetails & { readonly status: 'active' })
  | (AccountDetails & { readonly status: 'disabled'; readonly disabledReason: string });

export type AccountStatus = AccountState['status'];

export const initialAccountState = (): AccountState => ({ status: 'none' });

/** Logins are e-mail addresses, compared in lower case. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

/** One stream per account, keyed by its login (persisted name: never change). */
export function accountStreamId(login: string): string {
  return `account-${normalizeLogin(login)}`;
}
