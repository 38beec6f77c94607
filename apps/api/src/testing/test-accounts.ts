import type { INestApplication } from '@nestjs/common';
import { type Grant, isAccountRole, isUnitGrant } from '@tieuchi/accounts/domain';
import { AccountCommands } from '@tieuchi/accounts/feature';
import type { Principal } from '@tieuchi/shared/auth';
import { isDomainError } from '@tieuchi/shared/kernel';

/** The grants that give an account this principal's scope (a province role without a province becomes national). */
export function grantsOfPrincipal(principal: Principal): Grant[] {
  const scoped = principal as Principal & { readonly provinceCode?: string | null; readonly national?: boolean };
  // An account's unit comes from a unit grant: a unit on a principal without one could not be an account's.
  if (principal.unitCode && !principal.roles.some((role) => role === 'unit_editor' || role === 'unit_lead')) {
    throw new Error(`test principal "${principal.id}" names unit ${principal.unitCode} without a unit role; an account belongs to a unit through a unit_editor or unit_lead grant`);
  }
  return principal.roles.filter(isAccountRole).map((role): Grant => {
    if (role === 'unit_editor' || role === 'unit_lead') return { role, unitCode: principal.unitCode ?? '00', provinceCode: scoped.provinceCode ?? null };
    if (scoped.national === true || !scoped.provinceCode) return { role, national: true };
    return { role, provinceCode: scoped.provinceCode };
  });
}

/**
 * Signed tokens name an account and the API uses that account's grants, never the token's claims,
 * so a test app provisions the account of every principal it issues a token for, once, through the
 * accounts commands as the system. A later principal with the same login but other grants is a
 * mistake in the test (its token would act with the first grants), so it is refused here.
 */
export class TestAccounts {
  private readonly provisioned = new Map<string, { readonly grants: string; readonly done: Promise<void> }>();

  constructor(private readonly app: INestApplication) {}

  ensure(principal: Principal): Promise<void> {
    const grants = grantsKey(grantsOfPrincipal(principal));
    const known = this.provisioned.get(principal.id);
    if (known) {
      if (known.grants !== grants) throw new Error(`test account "${principal.id}" already exists with other grants (${known.grants}); use another login or grant through the accounts commands`);
      return known.done;
    }
    const done = this.provision(principal);
    this.provisioned.set(principal.id, { grants, done });
    return done;
  }

  /** Grants a role to an existing account as the system would, in force for the next request. */
  async grant(login: string, grant: Grant): Promise<void> {
    await this.app.get(AccountCommands).execute(login, { type: 'GrantRole', data: { grant, reason: 'test set-up', actor: { kind: 'system' } } }, { actor: 'system:test', correlationId: 'test-set-up' });
  }

  /** Revokes a role of an account as the system would (never its province's last admin). */
  async revoke(login: string, grant: Grant): Promise<void> {
    await this.app
      .get(AccountCommands)
      .execute(login, { type: 'RevokeRole', data: { grant, reason: 'test set-up', actor: { kind: 'system' }, otherAdmins: 1 } }, { actor: 'system:test', correlationId: 'test-set-up' });
  }

  /**
   * Runs `body` while the account holds exactly `grants` (its own revoked first), then gives it back
   * its own: the same token then acts with the other grants, as it does in production.
   */
  async holding<T>(login: string, grants: readonly Grant[], body: () => Promise<T>): Promise<T> {
    const own = await this.grantsOf(login);
    for (const grant of own) await this.revoke(login, grant);
    for (const grant of grants) await this.grant(login, grant);
    try {
      return await body();
    } finally {
      for (const grant of grants) await this.revoke(login, grant);
      for (const grant of own) await this.grant(login, grant);
    }
  }

  async grantsOf(login: string): Promise<readonly Grant[]> {
    const { state } = await this.app.get(AccountCommands).load(login);
    if (state.status === 'none') throw new Error(`no account "${login}"`);
    return state.grants;
  }

  /** Runs `body` while the account holds `grant` as well as its own grants, then revokes it. */
  async withGrant<T>(login: string, grant: Grant, body: () => Promise<T>): Promise<T> {
    await this.grant(login, grant);
    try {
      return await body();
    } finally {
      await this.revoke(login, grant);
    }
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
      if (!isDomainError(error) || error.code !== 'ACCOUNT.ALREADY_EXISTS') throw error;
      const { state } = await commands.load(principal.id);
      const existing = state.status === 'none' ? '' : grantsKey(state.grants);
      if (existing !== grantsKey(grants)) throw new Error(`test account "${principal.id}" already exists with other grants (${existing}); use another login`);
    }
  }
}

function grantsKey(grants: readonly Grant[]): string {
  return grants
    .map((g) => JSON.stringify(Object.fromEntries(Object.entries(g).sort(([a], [b]) => a.localeCompare(b)))))
    .sort()
    .join(' ');
}
