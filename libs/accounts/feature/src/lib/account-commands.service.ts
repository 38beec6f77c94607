import { Inject, Injectable } from '@nestjs/common';
import {
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  accountStreamId,
  decideAccount,
  evolveAccount,
  initialAccountState,
  normalizeLogin,
} from '@tieuchi/accounts/domain';
import { CLOCK, type Clock, CommandExecutor, type CommandOutcome, CONCURRENT_WRITE, type RequestContext } from '@tieuchi/shared/application';
import { isDomainError, type MessageMetadata } from '@tieuchi/shared/kernel';

type CommandWithoutMetadata = AccountCommand extends infer C ? (C extends AccountCommand ? Omit<C, 'metadata'> : never) : never;

/**
 * How often a command is decided again when its account's stream moved while it ran. Account
 * commands carry no expected version from the client, so the fresh state decides: two sign-ins of
 * one account at the same moment both succeed instead of one answering 409.
 */
const ATTEMPTS_ON_CONCURRENT_WRITE = 10;

/** Listens for changes to an account made in this process, so cached views of it are dropped at once. */
export type AccountChangeListener = (login: string) => void;

/** load → decide → append on one account's stream (ARCHITECTURE.md §4.5). */
@Injectable()
export class AccountCommands {
  private readonly listeners: AccountChangeListener[] = [];

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onChange(listener: AccountChangeListener): void {
    this.listeners.push(listener);
  }

  now(): Date {
    return this.clock.now();
  }

  async load(login: string): Promise<{ state: AccountState; version: number }> {
    return this.executor.loadState(accountStreamId(login), initialAccountState, evolveAccount);
  }

  async execute(login: string, command: CommandWithoutMetadata, context: RequestContext): Promise<CommandOutcome<AccountEvent>> {
    const normalized = normalizeLogin(login);
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.executor.execute<AccountState, AccountEvent>(
            {
              streamName: accountStreamId(normalized),
              initialState: initialAccountState,
              evolve: evolveAccount,
              decide: (state, metadata: MessageMetadata) => decideAccount({ ...command, metadata } as AccountCommand, state),
            },
            context,
          );
        } catch (error) {
          if (!(isDomainError(error) && error.code === CONCURRENT_WRITE) || attempt >= ATTEMPTS_ON_CONCURRENT_WRITE) throw error;
        }
      }
    } finally {
      for (const listener of this.listeners) listener(normalized);
    }
  }
}
