import { type AccountState, type Grant, scopeOfGrants } from '@tieuchi/accounts/domain';
import type { Principal } from '@tieuchi/shared/auth';

/** The API's principal for an account, its scope folded from its grants. */
export function principalOfAccount(account: Exclude<AccountState, { status: 'none' }>): Principal {
  return principalOfGrants(account.login, account.name, account.grants);
}

/**
 * The principal an account with these grants resolves to, without reading it: for tools that sign
 * a token for an account they cannot open (the embedded API holds the data folder), such as the
 * demo's people. The API still confirms the account is active before honouring the token.
 */
export function principalOfGrants(login: string, name: string, grants: readonly Grant[]): Principal {
  return { id: login, name, ...scopeOfGrants(grants) };
}
