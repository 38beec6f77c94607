import type { Command } from '@tieuchi/shared/kernel';
import type { SignInFailureReason, SignInMethod } from './account.events';
import type { AccountRole, Grant, GrantingActor } from './grants';

export type AccountCommand =
  | Command<'InviteAccount', { readonly login: string; readonly name: string; readonly grants: readonly Grant[]; readonly reason: string | null; readonly actor: GrantingActor }>
  /** The system creates an active account directly (the demo's people, tests' set-up); no person may. */
  | Command<'ProvisionAccount', { readonly login: string; readonly name: string; readonly grants: readonly Grant[]; readonly reason: string; readonly actor: GrantingActor }>
  | Command<'IssueActivationLink', { readonly linkId: string; readonly purpose: 'activation' | 'reset'; readonly expiresAt: string }>
  | Command<'ActivateAccount', { readonly linkId: string }>
  | Command<'ActivateThroughIdentityProvider', Record<string, never>>
  | Command<'GrantRole', { readonly grant: Grant; readonly reason: string; readonly actor: GrantingActor }>
  /** `otherAdmins`: active admins of the grant's province besides this account, counted by the handler. */
  | Command<'RevokeRole', { readonly grant: Grant; readonly reason: string; readonly actor: GrantingActor; readonly otherAdmins: number }>
  | Command<'DisableAccount', { readonly reason: string; readonly actor: GrantingActor; readonly otherAdmins: number }>
  | Command<'EnableAccount', { readonly reason: string; readonly actor: GrantingActor }>
  | Command<'RecordSignIn', { readonly method: SignInMethod; readonly address: string | null }>
  | Command<'RecordSignInFailure', { readonly reason: SignInFailureReason; readonly address: string | null }>
  | Command<'UnlockAccount', { readonly reason: string; readonly actor: GrantingActor }>
  | Command<'SignOutEverywhere', Record<string, never>>
  | Command<'CreateApiToken', { readonly tokenId: string; readonly name: string; readonly expiresAt: string }>
  | Command<'RevokeApiToken', { readonly tokenId: string }>
  | Command<'LinkOidcSubject', { readonly issuer: string; readonly subject: string; readonly proposedRoles: readonly AccountRole[] }>;

export type AccountCommandType = AccountCommand['type'];
