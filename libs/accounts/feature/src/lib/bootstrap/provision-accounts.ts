import { type Grant, normalizeLogin } from '@tieuchi/accounts/domain';
import type { RequestContext } from '@tieuchi/shared/application';
import { isDomainError } from '@tieuchi/shared/kernel';
import type { AccountCommands } from '../account-commands.service';

export interface ProvisionedPerson {
  readonly login: string;
  readonly name: string;
  readonly grants: readonly Grant[];
}

/**
 * Creates active accounts as the system (ProvisionAccount), for the demo's people and tests'
 * set-up: the same command path as an invitation, without an activation link or a password (they
 * get in with `npm run token`, or a reset link). An account that already exists is left as it is,
 * so running it twice is harmless. Answers how many were created.
 */
export async function provisionAccounts(commands: AccountCommands, people: readonly ProvisionedPerson[], reason: string, context: RequestContext): Promise<number> {
  let created = 0;
  for (const person of people) {
    const login = normalizeLogin(person.login);
    try {
      await commands.execute(login, { type: 'ProvisionAccount', data: { login, name: person.name, grants: person.grants, reason, actor: { kind: 'system' } } }, context);
      created += 1;
    } catch (error) {
      if (!(isDomainError(error) && error.code === 'ACCOUNT.ALREADY_EXISTS')) throw error;
    }
  }
  return created;
}
