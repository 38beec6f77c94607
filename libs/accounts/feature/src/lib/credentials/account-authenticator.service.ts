import { Injectable } from '@nestjs/common';
import type { AccountState } from '@tieuchi/accounts/domain';
import type { AccountAuthenticator, Principal, SessionCredentials } from '@tieuchi/shared/auth';
import { LRUCache } from 'lru-cache';
import { AccountCommands } from '../account-commands.service';
import { principalOfAccount } from '../principal-of-account';
import { AccountSecretsStore, type StoredSecret } from './account-secrets.store';
import { digest } from './secrets';

/**
 * How long this process trusts what it last read about an account or a credential. A change made
 * through this process (disable, revoke, sign out) applies at once; one made through another API
 * instance applies here within this bound. This is the documented revocation bound.
 */
export const ACCOUNT_VIEW_TTL_MS = 5_000;

type Existing = Exclude<AccountState, { status: 'none' }>;

/**
 * Resolves sessions, personal API tokens and signed tokens to principals for the AuthGuard. Each
 * request costs a few map look-ups while the caches are warm; the store is read at most once per
 * account and credential every ACCOUNT_VIEW_TTL_MS.
 */
@Injectable()
export class AccountAuthenticatorService implements AccountAuthenticator {
  private readonly accounts = new LRUCache<string, { readonly account: Existing | null }>({ max: 20_000, ttl: ACCOUNT_VIEW_TTL_MS });
  private readonly secrets = new LRUCache<string, { readonly secret: StoredSecret | null }>({ max: 50_000, ttl: ACCOUNT_VIEW_TTL_MS });

  constructor(
    private readonly commands: AccountCommands,
    private readonly store: AccountSecretsStore,
  ) {
    commands.onChange((login) => this.accounts.delete(login));
  }

  /** Drops what is remembered of a credential (its secret digest), after it was ended here. */
  forgetSecret(secret: string): void {
    this.secrets.delete(digest(secret));
  }

  async account(login: string): Promise<Existing | null> {
    const cached = this.accounts.get(login);
    if (cached) return cached.account;
    const { state } = await this.commands.load(login);
    const account = state.status === 'none' ? null : state;
    this.accounts.set(login, { account });
    return account;
  }

  async session(secret: string): Promise<SessionCredentials | undefined> {
    const found = await this.secret(secret, 'session');
    if (!found || !found.csrfToken) return undefined;
    const account = await this.activeSince(found.login, found.createdAt.getTime());
    if (!account) return undefined;
    return { principal: principalOfAccount(account), csrfToken: found.csrfToken, sessionId: found.reference };
  }

  async apiToken(token: string): Promise<Principal | undefined> {
    const found = await this.secret(token, 'api_token');
    if (!found) return undefined;
    const account = await this.activeSince(found.login, found.createdAt.getTime(), 'ignore-sign-out');
    if (!account || !account.apiTokens.some((t) => t.tokenId === found.reference)) return undefined;
    return principalOfAccount(account);
  }

  /**
   * A signed token names its account and nothing more: the principal is the account's current
   * grants, never the token's roles, unit or province claims (an identity provider's claims may
   * propose roles, only an admin grants them).
   */
  async confirmSignedToken(principal: Principal, issuedAt: number | undefined): Promise<Principal | undefined> {
    if (issuedAt === undefined) return undefined;
    const account = await this.activeSince(principal.id, issuedAt * 1000, 'signed-token');
    return account ? principalOfAccount(account) : undefined;
  }

  private async secret(secret: string, kind: 'session' | 'api_token'): Promise<StoredSecret | undefined> {
    const key = digest(secret);
    const cached = this.secrets.get(key);
    const now = new Date();
    let found: StoredSecret | null;
    if (cached) found = cached.secret;
    else {
      found = (await this.store.find(secret, kind, now)) ?? null;
      this.secrets.set(key, { secret: found });
    }
    if (!found || found.kind !== kind || found.expiresAt <= now) return undefined;
    return found;
  }

  /**
   * The account, when it is active and the credential was issued after what ends it, a "sign out
   * everywhere" or a disable. A signed token's `iat` has second resolution, so one issued in the
   * second of the ending is refused too (fail closed). Personal API tokens end only by their own
   * revocation and the account's status. Every credential resolves the account's current grants,
   * so a revoked grant stops working without ending the credential.
   */
  private async activeSince(login: string, issuedAtMs: number, mode: 'sessions' | 'ignore-sign-out' | 'signed-token' = 'sessions'): Promise<Existing | undefined> {
    const account = await this.account(login);
    if (!account || account.status !== 'active') return undefined;
    if (mode === 'ignore-sign-out' || account.credentialsValidAfter === null) return account;
    const ends = Date.parse(account.credentialsValidAfter);
    if (mode === 'signed-token') return issuedAtMs > Math.floor(ends / 1000) * 1000 ? account : undefined;
    return issuedAtMs <= ends ? undefined : account;
  }
}
