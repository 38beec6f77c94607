import type { AccountRole, Grant } from './grants';

export type SignInMethod = 'password' | 'oidc';

export type SignInFailureReason = 'wrong_password' | 'locked' | 'not_active' | 'no_password';

/** Event types are persisted forever: never rename one (add an upcaster instead). */
export type AccountEvent =
  | { readonly type: 'AccountInvited'; readonly data: { readonly login: string; readonly name: string; readonly grants: readonly Grant[]; readonly reason: string | null } }
  | { readonly type: 'ActivationLinkIssued'; readonly data: { readonly linkId: string; readonly purpose: 'activation' | 'reset'; readonly expiresAt: string } }
  | { readonly type: 'AccountActivated'; readonly data: { readonly linkId: string | null; readonly method: SignInMethod | 'provisioned' } }
  | { readonly type: 'PasswordReset'; readonly data: { readonly linkId: string } }
  | { readonly type: 'RoleGranted'; readonly data: { readonly grant: Grant; readonly reason: string } }
  | { readonly type: 'RoleRevoked'; readonly data: { readonly grant: Grant; readonly reason: string; readonly at: string } }
  | { readonly type: 'AccountDisabled'; readonly data: { readonly reason: string; readonly at: string } }
  | { readonly type: 'AccountEnabled'; readonly data: { readonly reason: string } }
  | { readonly type: 'SignedIn'; readonly data: { readonly method: SignInMethod; readonly address: string | null; readonly at: string } }
  | { readonly type: 'SignInFailed'; readonly data: { readonly reason: SignInFailureReason; readonly address: string | null } }
  | { readonly type: 'AccountUnlocked'; readonly data: { readonly reason: string } }
  | { readonly type: 'SignedOutEverywhere'; readonly data: { readonly at: string } }
  | { readonly type: 'ApiTokenCreated'; readonly data: { readonly tokenId: string; readonly name: string; readonly createdAt: string; readonly expiresAt: string } }
  | { readonly type: 'ApiTokenRevoked'; readonly data: { readonly tokenId: string } }
  | { readonly type: 'OidcSubjectLinked'; readonly data: { readonly issuer: string; readonly subject: string } }
  | { readonly type: 'RolesProposedByIdentityProvider'; readonly data: { readonly roles: readonly AccountRole[]; readonly issuer: string } };

export type AccountEventType = AccountEvent['type'];

/** Every account event type, so that a reader of the global feed (the audit trail) can tell one by its type alone. */
const accountEventTypes: Readonly<Record<AccountEventType, true>> = {
  AccountInvited: true,
  ActivationLinkIssued: true,
  AccountActivated: true,
  PasswordReset: true,
  RoleGranted: true,
  RoleRevoked: true,
  AccountDisabled: true,
  AccountEnabled: true,
  SignedIn: true,
  SignInFailed: true,
  AccountUnlocked: true,
  SignedOutEverywhere: true,
  ApiTokenCreated: true,
  ApiTokenRevoked: true,
  OidcSubjectLinked: true,
  RolesProposedByIdentityProvider: true,
};

export function isAccountEvent<E extends { readonly type: string }>(event: E): event is E & AccountEvent {
  return Object.hasOwn(accountEventTypes, event.type);
}
