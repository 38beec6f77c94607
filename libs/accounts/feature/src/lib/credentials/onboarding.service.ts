import { Inject, Injectable } from '@nestjs/common';
import { accountErrors, type Grant, type GrantingActor, normalizeLogin } from '@tieuchi/accounts/domain';
import { APP_CONFIG, type RequestContext } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import { AccountCommands } from '../account-commands.service';
import { AccountSecretsStore } from './account-secrets.store';
import { ActivationMailer } from './activation-mailer';
import { hashPassword } from './password-hasher';
import { newId, newSecret } from './secrets';

export interface IssuedLink {
  readonly login: string;
  readonly expiresAt: string;
  /** True when mailed; the link itself is then not returned. */
  readonly mailed: boolean;
  /** Present only when not mailed: the admin hands it over. Shown once. */
  readonly activationLink: string | null;
  /** The link's write: GET /accounts takes it as `after`. */
  readonly position: string | null;
}

export interface Invitation {
  readonly login: string;
  readonly name: string;
  readonly grants: readonly Grant[];
  readonly reason: string | null;
}

/** Invitations, activation and reset links, and setting the password through one. */
@Injectable()
export class OnboardingService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: AccountCommands,
    private readonly store: AccountSecretsStore,
    private readonly mailer: ActivationMailer,
  ) {}

  async invite(invitation: Invitation, actor: GrantingActor, context: RequestContext): Promise<IssuedLink> {
    const login = normalizeLogin(invitation.login);
    await this.commands.execute(login, { type: 'InviteAccount', data: { ...invitation, login, actor } }, context);
    return this.issueLink(login, invitation.name, 'activation', context);
  }

  async issueLink(login: string, name: string, purpose: 'activation' | 'reset', context: RequestContext): Promise<IssuedLink> {
    const secret = newSecret();
    const linkId = newId();
    const now = this.commands.now();
    const expiresAt = new Date(now.getTime() + this.config.activationLinkHours * 3_600_000);
    const issued = await this.commands.execute(login, { type: 'IssueActivationLink', data: { linkId, purpose, expiresAt: expiresAt.toISOString() } }, context);
    // A newer link replaces the older ones, which stop working at once.
    await this.store.endAll(login, ['activation'], now);
    await this.store.save(secret, { kind: 'activation', login, reference: linkId, csrfToken: null, createdAt: now, expiresAt });
    const link = `${this.config.publicUrl}/activate?token=${secret}`;
    const mailed = await this.mailer.send({ to: login, name, link, expiresAt, purpose });
    return { login, expiresAt: expiresAt.toISOString(), mailed, activationLink: mailed ? null : link, position: issued.checkpoint };
  }

  /** Uses a link once: the password is set and the link is spent, whatever happens next. */
  async activate(token: string, password: string, context: Omit<RequestContext, 'actor'>): Promise<{ login: string }> {
    const now = this.commands.now();
    const link = await this.store.consume(token, 'activation', now);
    if (!link) throw accountErrors.linkInvalid();
    await this.commands.execute(link.login, { type: 'ActivateAccount', data: { linkId: link.reference } }, { ...context, actor: link.login });
    await this.store.setPasswordHash(link.login, await hashPassword(password));
    await this.store.endAll(link.login, ['session'], now);
    return { login: link.login };
  }
}
