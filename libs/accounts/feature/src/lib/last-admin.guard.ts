import { Inject, Injectable } from '@nestjs/common';
import { type Grant, provinceOfGrant } from '@tieuchi/accounts/domain';
import { CONCURRENT_WRITE, READ_MODEL_DB } from '@tieuchi/shared/application';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { DomainError } from '@tieuchi/shared/kernel';
import { AccountCommands } from './account-commands.service';
import { AccountsQuery } from './projections/accounts/accounts.query';

const LOCK_WAIT_MS = 5_000;
const LOCK_RETRY_MS = 20;

/** A province's code, or '' for a national grant. */
const adminScopeOf = (grant: Grant): string => provinceOfGrant(grant) ?? '';

/**
 * Keeps one admin in every scope: removals of an admin of one scope (a revocation, a disable) run
 * one at a time under a lock named by the scope, each counting the others after the last one
 * committed, so two admins removing each other at the same moment cannot both succeed.
 */
@Injectable()
export class LastAdminGuard {
  constructor(
    private readonly commands: AccountCommands,
    private readonly query: AccountsQuery,
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
  ) {}

  /** Runs `removal` of `login`'s admin grant with the number of its scope's other active admins, under the scope's lock. */
  async removing<T>(adminGrant: Grant, login: string, removal: (otherAdmins: number) => Promise<T>): Promise<T> {
    const scope = adminScopeOf(adminGrant);
    const key = `tieuchi:admin-scope:${scope}`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const lock = await this.database.tryLock(key);
      if (lock) {
        try {
          return await removal(await this.otherAdmins(scope, login));
        } finally {
          await lock.release();
        }
      }
      if (Date.now() > deadline) {
        throw new DomainError(CONCURRENT_WRITE, 'conflict', `Đang có thay đổi quản trị viên khác của ${scope}; hãy thử lại.`);
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }

  /**
   * Active admins of the scope other than `except`, each confirmed from its own stream: the list
   * is only where to look, since it may not yet show a revocation or a disable just made.
   */
  private async otherAdmins(scope: string, except: string): Promise<number> {
    const candidates = await this.query.otherAdminLogins(scope, except);
    const confirmed = await Promise.all(
      candidates.map(async (login) => {
        const { state } = await this.commands.load(login);
        return state.status === 'active' && state.grants.some((grant) => grant.role === 'admin' && adminScopeOf(grant) === scope);
      }),
    );
    return confirmed.filter(Boolean).length;
  }
}
