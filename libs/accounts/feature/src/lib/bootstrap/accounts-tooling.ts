import { CommandExecutor, openPersistence, systemClock } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import { AccountCommands } from '../account-commands.service';
import { AccountSecretsStore } from '../credentials/account-secrets.store';
import { ActivationMailer } from '../credentials/activation-mailer';
import { OnboardingService } from '../credentials/onboarding.service';

export interface AccountsTooling {
  readonly commands: AccountCommands;
  readonly onboarding: OnboardingService;
  close(): Promise<void>;
}

/**
 * The accounts services over the configured stores, without the HTTP app: for the bootstrap and
 * token commands. On PGlite (embedded mode) the data folder holds one process at a time, so run
 * them while the API is stopped.
 */
export async function openAccountsTooling(config: AppConfig): Promise<AccountsTooling> {
  const { database, eventStore } = await openPersistence({ config });
  const commands = new AccountCommands(new CommandExecutor(eventStore, systemClock), systemClock);
  const store = new AccountSecretsStore(database);
  await store.onModuleInit();
  const mailer = new ActivationMailer(config);
  return {
    commands,
    onboarding: new OnboardingService(config, commands, store, mailer),
    close: async () => {
      mailer.onModuleDestroy();
      await eventStore.close();
      await database.close();
    },
  };
}
