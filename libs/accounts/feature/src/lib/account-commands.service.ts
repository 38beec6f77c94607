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
import { CLOCK, type Clock, CommandExecutor, type CommandOutcome, type RequestContext } from '@tieuchi/shared/application';
import type { MessageMetadata } from '@tieuchi/shared/kernel';

type CommandWithoutMetadata = AccountCommand extends infer C ? (C extends AccountCommand ? Omit<C, 'metadata'> : never) : never;

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
      return await this.executor.execute<AccountState, AccountEvent>(
        {
          streamName: accountStreamId(normalized),
          initialState: initialAccountState,
          evolve: evolveAccount,
          decide: (state, metadata: MessageMetadata) => decideAccount({ ...command, metadata } as AccountCommand, state),
        },
        context,
      );
    } finally {
      for (const listener of this.listeners) listener(normalized);
    }
  }
}
