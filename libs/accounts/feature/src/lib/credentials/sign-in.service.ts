import { Inject, Injectable, Logger } from '@nestjs/common';
import { isValidLogin, normalizeLogin, type SignInFailureReason } from '@tieuchi/accounts/domain';
import { APP_CONFIG, type RequestContext } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import { DomainError } from '@tieuchi/shared/kernel';
import { AccountCommands } from '../account-commands.service';
import { AccountAuthenticatorService } from './account-authenticator.service';
import { AccountSecretsStore } from './account-secrets.store';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password-hasher';
import { newId, newSecret } from './secrets';
import { SignInLimiter } from './sign-in-limiter';

export interface StartedSession {
  readonly login: string;
  /** The cookie's value: shown to the browser once, only its digest is kept. */
  readonly secret: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export const SIGN_IN_ERROR_CODES = { failed: 'AUTH.SIGN_IN_FAILED', locked: 'AUTH.SIGN_IN_LOCKED' } as const;

function signInFailed(): DomainError {
  // One answer for an unknown login, a wrong password and an account that may not sign in.
  return new DomainError(SIGN_IN_ERROR_CODES.failed, 'unauthenticated', 'Sai tên đăng nhập hoặc mật khẩu (the login or the password is wrong).');
}

export function signInLocked(retryAfterSeconds: number): DomainError {
  return new DomainError(
    SIGN_IN_ERROR_CODES.locked,
    'rate_limited',
    `Đăng nhập sai quá nhiều lần; thử lại sau ${Math.ceil(retryAfterSeconds / 60)} phút hoặc nhờ quản trị viên mở khoá.`,
    undefined,
    { retryAfterSeconds },
  );
}

/** Local sign-in: rate limits, the password check, the session, and the record of each attempt. */
@Injectable()
export class SignInService {
  private readonly logger = new Logger('SignIn');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: AccountCommands,
    private readonly store: AccountSecretsStore,
    private readonly limiter: SignInLimiter,
    private readonly authenticator: AccountAuthenticatorService,
  ) {}

  async signIn(rawLogin: string, password: string, address: string, context: Omit<RequestContext, 'actor'>): Promise<StartedSession> {
    const login = normalizeLogin(rawLogin);
    const limit = await this.limiter.check(login, address);
    if (limit.blocked) {
      this.record(login, 'locked', address, context);
      throw signInLocked(limit.retryAfterSeconds);
    }
    const known = isValidLogin(login) ? await this.authenticator.account(login) : null;
    const stored = known ? await this.store.passwordHash(login) : undefined;
    // Always pay for one hash, so an unknown login answers as slowly as a wrong password.
    const matches = await verifyPassword(password, stored ?? (await decoyHash()));
    if (!known || !stored || !matches || known.status !== 'active') {
      await this.limiter.recordFailure(login, address);
      if (known) this.record(login, !stored ? 'no_password' : !matches ? 'wrong_password' : 'not_active', address, context);
      throw signInFailed();
    }
    await this.limiter.recordSuccess(login);
    if (needsRehash(stored)) await this.store.setPasswordHash(login, await hashPassword(password));
    await this.commands.execute(login, { type: 'RecordSignIn', data: { method: 'password', address } }, { ...context, actor: login });
    return this.startSession(login);
  }

  /** A session for an account that proved who it is (password, or the identity provider). */
  async startSession(login: string): Promise<StartedSession> {
    const secret = newSecret();
    const csrfToken = newSecret();
    const now = this.commands.now();
    const expiresAt = new Date(now.getTime() + this.config.sessionHours * 3_600_000);
    await this.store.save(secret, { kind: 'session', login, reference: newId(), csrfToken, createdAt: now, expiresAt });
    return { login, secret, csrfToken, expiresAt };
  }

  async signOut(login: string, sessionId: string, secret: string | undefined): Promise<void> {
    await this.store.endByReference(login, 'session', sessionId, this.commands.now());
    if (secret) this.authenticator.forgetSecret(secret);
  }

  // Failures are recorded after the answer, so recording them does not make a known login slower to refuse.
  private record(login: string, reason: SignInFailureReason, address: string, context: Omit<RequestContext, 'actor'>): void {
    this.commands
      .execute(login, { type: 'RecordSignInFailure', data: { reason, address } }, { ...context, actor: login })
      .catch((error: unknown) => this.logger.warn({ err: error, login }, 'sign-in failure not recorded'));
  }
}
