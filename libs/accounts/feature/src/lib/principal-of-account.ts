import { type AccountState, scopeOfGrants } from '@tieuchi/accounts/domain';
import type { Principal } from '@tieuchi/shared/auth';

/** The API's principal for an account, its scope folded from its grants. */
export function principalOfAccount(account: Exclude<AccountState, { status: 'none' }>): Principal {
  const scope = scopeOfGrants(account.grants);
  const principal = { id: account.login, name: account.name, ...scope };
  return principal;
}
