import type { INestApplication } from '@nestjs/common';
import { AccountCommands, principalOfAccount } from '@tieuchi/accounts/feature';
import type { Principal } from '@tieuchi/shared/auth';
import { provisionDaknongPeople } from '../demo/daknong-demo.loader';

const provisioned = new WeakMap<INestApplication, Promise<number>>();

/** Creates the Đắk Nông demo's people as accounts in this app, through the accounts commands, once. */
export function ensureDemoAccounts(app: INestApplication): Promise<number> {
  let pending = provisioned.get(app);
  if (!pending) {
    pending = provisionDaknongPeople(app.get(AccountCommands));
    provisioned.set(app, pending);
  }
  return pending;
}

/**
 * The principal of a demo person's account (`admin@daknong`, `editor.660@daknong`, …) as the API
 * resolves it now: the demo's people are provisioned first, then the account is read from its
 * stream, so a grant a test changed is seen.
 */
export async function demoPrincipal(app: INestApplication, login: string): Promise<Principal> {
  await ensureDemoAccounts(app);
  const { state } = await app.get(AccountCommands).load(login);
  if (state.status !== 'active') throw new Error(`"${login}" is not an active account of the demo (${state.status})`);
  return principalOfAccount(state);
}
