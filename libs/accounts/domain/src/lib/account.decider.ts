import { assertNever, type Decider, type MessageMetadata } from '@tieuchi/shared/kernel';
import type { AccountCommand } from './account.commands';
import { accountErrors } from './account.errors';
import type { AccountEvent } from './account.events';
import { type AccountDetails, type AccountState, initialAccountState, normalizeLogin } from './account.state';
import { describeGrant, type Grant, type GrantingActor, isUnitGrant, sameGrant } from './grants';

type Existing = Exclude<AccountState, { status: 'none' }>;

function existing(state: AccountState, login: string): Existing {
  if (state.status === 'none') throw accountErrors.notFound(login);
  return state;
}

function requireReason(reason: string | null | undefined): string {
  if (reason === null || reason === undefined || reason.trim() === '') throw accountErrors.reasonRequired();
  return reason.trim();
}

/** Nobody grants (or takes away) a role wider than their own: only admins, within their province, national only by a national admin. */
export function assertWithinActorScope(actor: GrantingActor, grant: Grant): void {
  if (actor.kind === 'system') return;
  if (!actor.roles.includes('admin')) throw accountErrors.grantOutOfScope(describeGrant(grant));
  if (actor.national) return;
  const province = isUnitGrant(grant) ? grant.provinceCode : grant.national ? null : grant.provinceCode;
  if (province === null || province !== actor.provinceCode) throw accountErrors.grantOutOfScope(describeGrant(grant));
}

/** An account keeps to one unit and one province (or the nation) for now: a second one is refused. */
export function assertOneScope(grants: readonly Grant[]): void {
  const units = new Set<string>();
  const provinces = new Set<string>();
  for (const grant of grants) {
    if (isUnitGrant(grant)) {
      units.add(grant.unitCode);
      if (grant.provinceCode !== null) provinces.add(grant.provinceCode);
    } else provinces.add(grant.national ? 'national' : grant.provinceCode);
  }
  if (units.size > 1) throw accountErrors.scopeConflict(`units ${[...units].join(', ')}`);
  if (provinces.size > 1) throw accountErrors.scopeConflict(`provinces ${[...provinces].join(', ')}`);
}

function assertGrantsValid(grants: readonly Grant[], actor: GrantingActor): void {
  for (const [index, grant] of grants.entries()) {
    if (grants.findIndex((other) => sameGrant(other, grant)) !== index) throw accountErrors.invalidGrant(`${describeGrant(grant)} is listed twice`);
    assertWithinActorScope(actor, grant);
  }
  assertOneScope(grants);
}

function isAdminGrant(grant: Grant): boolean {
  return grant.role === 'admin';
}

function provinceOfAdmin(grant: Grant): string {
  return isUnitGrant(grant) ? '' : grant.national ? 'national' : grant.provinceCode;
}

export function decideAccount(command: AccountCommand, state: AccountState): readonly AccountEvent[] {
  const now = command.metadata.occurredAt;
  switch (command.type) {
    case 'InviteAccount': {
      const login = normalizeLogin(command.data.login);
      if (state.status !== 'none') throw accountErrors.alreadyExists(login);
      assertGrantsValid(command.data.grants, command.data.actor);
      return [{ type: 'AccountInvited', data: { login, name: command.data.name.trim(), grants: command.data.grants, reason: command.data.reason } }];
    }
    case 'ProvisionAccount': {
      const login = normalizeLogin(command.data.login);
      if (state.status !== 'none') throw accountErrors.alreadyExists(login);
      if (command.data.actor.kind !== 'system') throw accountErrors.grantOutOfScope('provision');
      assertGrantsValid(command.data.grants, command.data.actor);
      return [
        { type: 'AccountInvited', data: { login, name: command.data.name.trim(), grants: command.data.grants, reason: command.data.reason } },
        { type: 'AccountActivated', data: { linkId: null, method: 'provisioned' } },
      ];
    }
    case 'IssueActivationLink': {
      const account = existing(state, 'account');
      if (command.data.purpose === 'activation' && account.status !== 'invited') throw accountErrors.alreadyActive(account.login);
      if (command.data.purpose === 'reset' && account.status !== 'active') throw accountErrors.notActive(account.login);
      return [{ type: 'ActivationLinkIssued', data: { ...command.data } }];
    }
    case 'ActivateAccount': {
      const account = existing(state, 'account');
      const link = account.pendingLink;
      if (!link || link.linkId !== command.data.linkId || link.expiresAt <= now) throw accountErrors.linkInvalid();
      if (link.purpose === 'activation') {
        if (account.status !== 'invited') throw accountErrors.linkInvalid();
        return [{ type: 'AccountActivated', data: { linkId: link.linkId, method: 'password' } }];
      }
      if (account.status !== 'active') throw accountErrors.linkInvalid();
      return [{ type: 'PasswordReset', data: { linkId: link.linkId } }];
    }
    case 'ActivateThroughIdentityProvider': {
      const account = existing(state, 'account');
      if (account.status !== 'invited') throw accountErrors.alreadyActive(account.login);
      return [{ type: 'AccountActivated', data: { linkId: null, method: 'oidc' } }];
    }
    case 'GrantRole': {
      const account = existing(state, 'account');
      const grant = command.data.grant;
      if (account.grants.some((g) => sameGrant(g, grant))) throw accountErrors.alreadyGranted(describeGrant(grant));
      assertWithinActorScope(command.data.actor, grant);
      assertOneScope([...account.grants, grant]);
      return [{ type: 'RoleGranted', data: { grant, reason: requireReason(command.data.reason) } }];
    }
    case 'RevokeRole': {
      const account = existing(state, 'account');
      const held = account.grants.find((g) => sameGrant(g, command.data.grant));
      if (!held) throw accountErrors.notGranted(describeGrant(command.data.grant));
      assertWithinActorScope(command.data.actor, held);
      if (isAdminGrant(held) && account.status === 'active' && command.data.otherAdmins < 1) throw accountErrors.lastAdmin(provinceOfAdmin(held));
      return [{ type: 'RoleRevoked', data: { grant: held, reason: requireReason(command.data.reason), at: now } }];
    }
    case 'DisableAccount': {
      const account = existing(state, 'account');
      if (account.status === 'disabled') return [];
      for (const grant of account.grants) assertWithinActorScope(command.data.actor, grant);
      const admin = account.grants.find(isAdminGrant);
      if (admin && account.status === 'active' && command.data.otherAdmins < 1) throw accountErrors.lastAdmin(provinceOfAdmin(admin));
      return [{ type: 'AccountDisabled', data: { reason: requireReason(command.data.reason), at: now } }];
    }
    case 'EnableAccount': {
      const account = existing(state, 'account');
      if (account.status !== 'disabled') throw accountErrors.notDisabled(account.login);
      for (const grant of account.grants) assertWithinActorScope(command.data.actor, grant);
      return [{ type: 'AccountEnabled', data: { reason: requireReason(command.data.reason) } }];
    }
    case 'RecordSignIn': {
      const account = existing(state, 'account');
      if (account.status !== 'active') throw accountErrors.notActive(account.login);
      return [{ type: 'SignedIn', data: { ...command.data, at: now } }];
    }
    case 'RecordSignInFailure':
      existing(state, 'account');
      return [{ type: 'SignInFailed', data: { ...command.data } }];
    case 'UnlockAccount': {
      const account = existing(state, 'account');
      for (const grant of account.grants) assertWithinActorScope(command.data.actor, grant);
      if (command.data.actor.kind === 'principal' && !command.data.actor.roles.includes('admin')) throw accountErrors.grantOutOfScope('unlock');
      return [{ type: 'AccountUnlocked', data: { reason: requireReason(command.data.reason) } }];
    }
    case 'SignOutEverywhere':
      existing(state, 'account');
      return [{ type: 'SignedOutEverywhere', data: { at: now } }];
    case 'CreateApiToken': {
      const account = existing(state, 'account');
      if (account.status !== 'active') throw accountErrors.notActive(account.login);
      return [{ type: 'ApiTokenCreated', data: { tokenId: command.data.tokenId, name: command.data.name.trim(), createdAt: now, expiresAt: command.data.expiresAt } }];
    }
    case 'RevokeApiToken': {
      const account = existing(state, 'account');
      if (!account.apiTokens.some((t) => t.tokenId === command.data.tokenId)) throw accountErrors.tokenNotFound(command.data.tokenId);
      return [{ type: 'ApiTokenRevoked', data: { tokenId: command.data.tokenId } }];
    }
    case 'LinkOidcSubject': {
      const account = existing(state, 'account');
      if (account.status === 'disabled') throw accountErrors.notActive(account.login);
      const { issuer, subject, proposedRoles } = command.data;
      if (account.oidcSubjects.some((s) => s.issuer === issuer && s.subject === subject)) return [];
      const events: AccountEvent[] = [{ type: 'OidcSubjectLinked', data: { issuer, subject } }];
      // Claims may propose roles; only an admin's grant makes them count.
      if (proposedRoles.length > 0) events.push({ type: 'RolesProposedByIdentityProvider', data: { roles: proposedRoles, issuer } });
      return events;
    }
    default:
      return assertNever(command, 'account command');
  }
}

function update(state: AccountState, change: (account: Existing) => AccountState): AccountState {
  return state.status === 'none' ? state : change(state);
}

function later(a: string | null, b: string): string {
  return a !== null && a > b ? a : b;
}

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountInvited': {
      const details: AccountDetails = {
        login: event.data.login,
        name: event.data.name,
        grants: event.data.grants,
        pendingLink: null,
        credentialsValidAfter: null,
        apiTokens: [],
        oidcSubjects: [],
        lastSignInAt: null,
        hasPassword: false,
      };
      return { status: 'invited', ...details };
    }
    case 'ActivationLinkIssued':
      return update(state, (a) => ({ ...a, pendingLink: { ...event.data } }));
    case 'AccountActivated':
      return update(state, (a) => ({ ...a, status: 'active', pendingLink: null, hasPassword: a.hasPassword || event.data.method === 'password' }));
    case 'PasswordReset':
      return update(state, (a) => ({ ...a, pendingLink: null, hasPassword: true }));
    case 'RoleGranted':
      return update(state, (a) => ({ ...a, grants: [...a.grants, event.data.grant] }));
    case 'RoleRevoked':
      return update(state, (a) => ({ ...a, grants: a.grants.filter((g) => !sameGrant(g, event.data.grant)) }));
    case 'AccountDisabled':
      return update(state, (a) => {
        const { status: _status, ...details } = a;
        return { ...details, status: 'disabled', disabledReason: event.data.reason, credentialsValidAfter: later(a.credentialsValidAfter, event.data.at) };
      });
    case 'AccountEnabled':
      return update(state, (a) => {
        if (a.status !== 'disabled') return a;
        const { status: _status, disabledReason: _reason, ...details } = a;
        return { ...details, status: details.hasPassword || details.oidcSubjects.length > 0 || details.lastSignInAt !== null ? 'active' : 'invited' };
      });
    case 'SignedIn':
      return update(state, (a) => ({ ...a, lastSignInAt: event.data.at }));
    case 'SignInFailed':
    case 'AccountUnlocked':
    case 'RolesProposedByIdentityProvider':
      return state;
    case 'SignedOutEverywhere':
      return update(state, (a) => ({ ...a, credentialsValidAfter: later(a.credentialsValidAfter, event.data.at) }));
    case 'ApiTokenCreated':
      return update(state, (a) => ({ ...a, apiTokens: [...a.apiTokens, { tokenId: event.data.tokenId, name: event.data.name, createdAt: event.data.createdAt, expiresAt: event.data.expiresAt }] }));
    case 'ApiTokenRevoked':
      return update(state, (a) => ({ ...a, apiTokens: a.apiTokens.filter((t) => t.tokenId !== event.data.tokenId) }));
    case 'OidcSubjectLinked':
      return update(state, (a) => ({ ...a, oidcSubjects: [...a.oidcSubjects, { ...event.data }] }));
    default:
      return assertNever(event, 'account event');
  }
}

export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: initialAccountState,
};

/** The metadata of a command issued by the system (bootstrap, demo, tests' set-up). */
export function systemMetadata(process: string, occurredAt: string): MessageMetadata {
  return { actor: `system:${process}`, correlationId: `system:${process}`, causationId: `system:${process}`, occurredAt };
}
