import type { INestApplication } from '@nestjs/common';
import { type Grant, isAccountRole, isUnitGrant } from '@tieuchi/accounts/domain';
import { AccountCommands } from '@tieuchi/accounts/feature';
import type { Principal } from '@tieuchi/shared/auth';
import { isDomainError } from '@tieuchi/shared/kernel';

/** The grants that give an account this principal's scope (a province role without a province becomes national). */
export function grantsOfPrincipal(principal: Principal): Grant[] {
  const scoped = principal as Principal & { readonly provinceCode?: string | null; readonly national?: boolean };
  return principal.roles.filter(isAccountRole).map((role): Grant => {
    if (role === 'unit_editor' || role === 'unit_lead') return { role, unitCode: principal.unitCode ?? '00', provinceCode: scoped.provinceCode ?? null };
    if (scoped.national === true || !scoped.provinceCode) return { role, national: true };
    return { role, provinceCode: scoped.provinceCode };
  });
}

/**
 * Signed tokens are honoured only for active accounts, so a test app provisions the account of
 * every principal it issues a token for, once, through the accounts commands as the system.
 */
export class TestAccounts {
  private readonly provisioned = new Map<string, Promise<void>>();

  constructor(private readonly app: INestApplication) {}

  ensure(principal: Principal): Promise<void> {
    let pending = this.provisioned.get(principal.id);
    if (!pending) {
      pending = this.provision(principal);
      this.provisioned.set(principal.id, pending);
    }
    return pending;
  }

  private async provision(principal: Principal): Promise<void> {
    const commands = this.app.get(AccountCommands);
    const grants = grantsOfPrincipal(principal);
    const unitGrants = grants.filter(isUnitGrant);
    try {
      await commands.execute(
        principal.id,
        // One unit per account: a principal naming several is provisioned with its first.
        { type: 'ProvisionAccount', data: { login: principal.id, name: principal.name ?? principal.id, grants: [...grants.filter((g) => !isUnitGrant(g)), ...unitGrants], reason: 'test set-up', actor: { kind: 'system' } } },
        { actor: 'system:test', correlationId: 'test-set-up' },
      );
    } catch (error) {
      if (isDomainError(error) && error.code === 'ACCOUNT.ALREADY_EXISTS') return;
      throw error;
    }
  }
}
