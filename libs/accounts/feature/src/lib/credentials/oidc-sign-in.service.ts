import { Inject, Injectable, Logger } from '@nestjs/common';
import { isValidLogin, normalizeLogin } from '@tieuchi/accounts/domain';
import { APP_CONFIG, type RequestContext } from '@tieuchi/shared/application';
import type { AppConfig } from '@tieuchi/shared/config';
import { DomainError } from '@tieuchi/shared/kernel';
import { loadEsm } from 'load-esm';
import type * as OpenIdClient from 'openid-client';
import { AccountCommands } from '../account-commands.service';
import { AccountsQuery } from '../projections/accounts/accounts.query';
import { AccountAuthenticatorService } from './account-authenticator.service';
import { SignInService, type StartedSession } from './sign-in.service';

/** What the browser keeps between leaving for the identity provider and coming back (an httpOnly cookie). */
export interface OidcFlow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly returnTo: string;
}

/** Why a sign-in through the identity provider did not start a session; the web app shows each in Vietnamese. */
export type OidcRefusal = 'not_configured' | 'flow_missing' | 'provider_refused' | 'no_account' | 'not_active';

export class OidcSignInRefused extends Error {
  constructor(readonly reason: OidcRefusal) {
    super(`sign-in through the identity provider refused: ${reason}`);
  }
}

let clientModule: Promise<typeof OpenIdClient> | undefined;
// openid-client is published as an ES module only; the compiled CommonJS reaches it through import().
const openIdClient = (): Promise<typeof OpenIdClient> => (clientModule ??= loadEsm<typeof OpenIdClient>('openid-client'));

/** Only a path of this site: never another origin, so the callback cannot be used as an open redirect. */
export function safeReturnTo(value: string | undefined): string {
  return value && /^\/(?![/\\])/.test(value) ? value : '/';
}

/**
 * Single sign-on with the province's identity provider: OpenID Connect authorization code flow
 * with PKCE (S256), state and nonce. The account is found by the subject it was linked to, or by
 * a verified e-mail equal to its login; roles stay in tieuchi (nothing is granted from claims).
 */
@Injectable()
export class OidcSignInService {
  private readonly logger = new Logger('OidcSignIn');
  private configuration: Promise<OpenIdClient.Configuration> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly signIns: SignInService,
    private readonly commands: AccountCommands,
    private readonly accounts: AccountsQuery,
    private readonly authenticator: AccountAuthenticatorService,
  ) {}

  get enabled(): boolean {
    return this.config.oidcDiscoveryUrl !== undefined && this.config.oidcClientId !== undefined;
  }

  get redirectUri(): string {
    return `${this.config.publicUrl}/auth/oidc/callback`;
  }

  /** Where to send the browser, and what it must bring back. */
  async start(returnTo: string | undefined): Promise<{ url: string; flow: OidcFlow }> {
    const client = await openIdClient();
    const configuration = await this.discovered();
    const verifier = client.randomPKCECodeVerifier();
    const flow: OidcFlow = { state: client.randomState(), nonce: client.randomNonce(), verifier, returnTo: safeReturnTo(returnTo) };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, flow };
  }

  /** Exchanges the code, checks state, nonce and PKCE, finds the account and starts its session. */
  async finish(callbackUrl: URL, flow: OidcFlow | undefined, address: string, context: Omit<RequestContext, 'actor'>): Promise<StartedSession> {
    if (!flow) throw new OidcSignInRefused('flow_missing');
    const client = await openIdClient();
    const configuration = await this.discovered();
    let issuer: string;
    let subject: string;
    let profile: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      issuer = claims.iss;
      subject = claims.sub;
      // Many providers put the e-mail in the ID token only when asked; the UserInfo endpoint always has it.
      profile = typeof claims['email'] === 'string' ? claims : await client.fetchUserInfo(configuration, tokens.access_token, subject);
    } catch (error) {
      this.logger.warn({ err: error }, 'the identity provider did not confirm the sign-in');
      throw new OidcSignInRefused('provider_refused');
    }
    const email = typeof profile['email'] === 'string' ? normalizeLogin(profile['email']) : null;
    const login =
      (await this.accounts.loginOfOidcSubject(issuer, subject)) ?? (email !== null && profile['email_verified'] === true && isValidLogin(email) ? email : null);
    const account = login === null ? null : await this.authenticator.account(login);
    if (login === null || account === null) throw new OidcSignInRefused('no_account');
    if (account.status === 'disabled') {
      await this.commands.execute(login, { type: 'RecordSignInFailure', data: { reason: 'not_active', address } }, { ...context, actor: login });
      throw new OidcSignInRefused('not_active');
    }
    const actor = { ...context, actor: login };
    if (account.status === 'invited') await this.commands.execute(login, { type: 'ActivateThroughIdentityProvider', data: {} }, actor);
    await this.commands.execute(login, { type: 'LinkOidcSubject', data: { issuer, subject, proposedRoles: [] } }, actor);
    await this.commands.execute(login, { type: 'RecordSignIn', data: { method: 'oidc', address } }, actor);
    return this.signIns.startSession(login);
  }

  private discovered(): Promise<OpenIdClient.Configuration> {
    const { oidcDiscoveryUrl, oidcClientId, oidcClientSecret } = this.config;
    if (oidcDiscoveryUrl === undefined || oidcClientId === undefined) {
      return Promise.reject(new DomainError('AUTH.OIDC_NOT_CONFIGURED', 'not_found', 'Single sign-on is not configured (OIDC_DISCOVERY_URL, OIDC_CLIENT_ID).'));
    }
    this.configuration ??= openIdClient()
      .then((client) =>
        client.discovery(
          new URL(oidcDiscoveryUrl),
          oidcClientId,
          oidcClientSecret,
          // A public client (no secret) proves itself by PKCE alone.
          oidcClientSecret === undefined ? client.None() : client.ClientSecretPost(oidcClientSecret),
          // http: is accepted for a provider on this machine only, as the configuration already enforces.
          new URL(oidcDiscoveryUrl).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
        ),
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }
}
