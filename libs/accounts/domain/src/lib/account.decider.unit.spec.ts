import { type MessageMetadata } from '@tieuchi/shared/kernel';
import type { AccountCommand } from './account.commands';
import { decideAccount, evolveAccount } from './account.decider';
import type { AccountEvent } from './account.events';
import { type AccountState, initialAccountState } from './account.state';
import type { GrantingActor } from './grants';

const at = (occurredAt: string): MessageMetadata => ({ actor: 'admin@67', correlationId: 'c', causationId: 'c', occurredAt });
const now = at('2026-01-10T08:00:00.000Z');
const provinceAdmin: GrantingActor = { kind: 'principal', roles: ['admin'], provinceCode: '67', national: false };
const system: GrantingActor = { kind: 'system' };

function given(...events: AccountEvent[]): AccountState {
  return events.reduce(evolveAccount, initialAccountState());
}

function when(state: AccountState, command: Omit<AccountCommand, 'metadata'>, metadata = now): readonly AccountEvent[] {
  return decideAccount({ ...command, metadata } as AccountCommand, state);
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

const invited: AccountEvent = { type: 'AccountInvited', data: { login: 'editor@67.vn', name: 'Biên tập', grants: [{ role: 'unit_editor', unitCode: '660', provinceCode: '67' }], reason: null } };
const link: AccountEvent = { type: 'ActivationLinkIssued', data: { linkId: 'link-1', purpose: 'activation', expiresAt: '2026-01-11T08:00:00.000Z' } };

describe('account decider', () => {
  it('invites within the admin province and refuses a grant outside it or a national one', () => {
    expect(when(given(), { type: 'InviteAccount', data: { login: 'A@67.vn', name: ' A ', grants: [{ role: 'reviewer', provinceCode: '67' }], reason: null, actor: provinceAdmin } })).toEqual([
      { type: 'AccountInvited', data: { login: 'a@67.vn', name: 'A', grants: [{ role: 'reviewer', provinceCode: '67' }], reason: null } },
    ]);
    const outside = { type: 'InviteAccount', data: { login: 'b@46.vn', name: 'B', grants: [{ role: 'reviewer', provinceCode: '46' }], reason: null, actor: provinceAdmin } } as const;
    expect(codeOf(() => when(given(), outside))).toBe('ACCOUNT.GRANT_OUT_OF_SCOPE');
    const national = { type: 'InviteAccount', data: { login: 'c@bo.vn', name: 'C', grants: [{ role: 'auditor', national: true }], reason: null, actor: provinceAdmin } } as const;
    expect(codeOf(() => when(given(), national))).toBe('ACCOUNT.GRANT_OUT_OF_SCOPE');
    const reviewer: GrantingActor = { kind: 'principal', roles: ['reviewer'], provinceCode: '67', national: false };
    expect(codeOf(() => when(given(), { ...outside, data: { ...outside.data, grants: [{ role: 'reviewer', provinceCode: '67' }], actor: reviewer } }))).toBe('ACCOUNT.GRANT_OUT_OF_SCOPE');
  });

  it('keeps an account to one unit and one province', () => {
    const second = { type: 'GrantRole', data: { grant: { role: 'unit_lead', unitCode: '662', provinceCode: '67' }, reason: 'x', actor: system } } as const;
    expect(codeOf(() => when(given(invited), second))).toBe('ACCOUNT.SCOPE_CONFLICT');
  });

  it('activates once, with the pending link, before it expires', () => {
    const state = given(invited, link);
    expect(when(state, { type: 'ActivateAccount', data: { linkId: 'link-1' } })).toEqual([{ type: 'AccountActivated', data: { linkId: 'link-1', method: 'password' } }]);
    expect(codeOf(() => when(state, { type: 'ActivateAccount', data: { linkId: 'link-1' } }, at('2026-01-11T08:00:00.000Z')))).toBe('ACCOUNT.ACTIVATION_LINK_INVALID');
    expect(codeOf(() => when(state, { type: 'ActivateAccount', data: { linkId: 'other' } }))).toBe('ACCOUNT.ACTIVATION_LINK_INVALID');
    const used = given(invited, link, { type: 'AccountActivated', data: { linkId: 'link-1', method: 'password' } });
    expect(codeOf(() => when(used, { type: 'ActivateAccount', data: { linkId: 'link-1' } }))).toBe('ACCOUNT.ACTIVATION_LINK_INVALID');
  });

  it('never removes the last admin, and records who revoked why', () => {
    const admin = given(
      { type: 'AccountInvited', data: { login: 'admin@67.vn', name: 'QT', grants: [{ role: 'admin', provinceCode: '67' }], reason: null } },
      { type: 'AccountActivated', data: { linkId: null, method: 'provisioned' } },
    );
    const revoke = { type: 'RevokeRole', data: { grant: { role: 'admin', provinceCode: '67' }, reason: 'chuyển công tác', actor: provinceAdmin, otherAdmins: 0 } } as const;
    expect(codeOf(() => when(admin, revoke))).toBe('ACCOUNT.LAST_ADMIN');
    expect(when(admin, { ...revoke, data: { ...revoke.data, otherAdmins: 1 } })).toEqual([
      { type: 'RoleRevoked', data: { grant: { role: 'admin', provinceCode: '67' }, reason: 'chuyển công tác', at: now.occurredAt } },
    ]);
    expect(codeOf(() => when(admin, { type: 'DisableAccount', data: { reason: 'nghỉ', actor: provinceAdmin, otherAdmins: 0 } }))).toBe('ACCOUNT.LAST_ADMIN');
  });

  it('ends sessions issued before a disable or a sign-out everywhere', () => {
    const active = given(invited, link, { type: 'AccountActivated', data: { linkId: 'link-1', method: 'password' } });
    const [signedOut] = when(active, { type: 'SignOutEverywhere', data: {} });
    const after = evolveAccount(active, signedOut!);
    expect(after.status === 'active' && after.credentialsValidAfter).toBe(now.occurredAt);
    const [disabled] = when(active, { type: 'DisableAccount', data: { reason: 'nghỉ', actor: provinceAdmin, otherAdmins: 1 } });
    expect(evolveAccount(active, disabled!)).toMatchObject({ status: 'disabled', credentialsValidAfter: now.occurredAt });
  });
});
