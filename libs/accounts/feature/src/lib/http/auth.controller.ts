import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { correlationIdOf } from '@tieuchi/shared/http';
import { Authenticated, CurrentPrincipal, type Principal, Public, SESSION_COOKIE, sessionExpired, sessionOf } from '@tieuchi/shared/auth';
import type { CookieOptions, Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { AccountCommands } from '../account-commands.service';
import { AccountAuthenticatorService } from '../credentials/account-authenticator.service';
import { AccountSecretsStore } from '../credentials/account-secrets.store';
import { OidcSignInRefused, OidcSignInService, type OidcFlow, safeReturnTo } from '../credentials/oidc-sign-in.service';
import { OnboardingService } from '../credentials/onboarding.service';
import { SignInService, type StartedSession } from '../credentials/sign-in.service';
import { ActivateDto, GrantViewDto, SignInDto } from './account.dto';
import { MeService, type MeView } from './me.service';
import { NEXT_ACTIONS, NEXT_WORK_ITEMS_PER_ACTION } from './next-work.query';

class NextWorkItemResponse {
  @ApiProperty({ enum: NEXT_ACTIONS }) action!: string;
  @ApiProperty() periodId!: string;
  @ApiProperty({ nullable: true, type: String, description: "null for a period's own step (publish)" }) unitCode!: string | null;
  @ApiProperty({ description: "the assessment's status, or the period's for a period step" }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'since when it waits (submitted, reviewed or last changed)' }) since!: string | null;
}

class NextWorkCountsResponse {
  @ApiProperty({ description: 'unit editors: drafts of their unit in an open period, and assessments returned to it' }) fill!: number;
  @ApiProperty({ description: 'unit leads: drafts of their unit in an open period' }) submit!: number;
  @ApiProperty({ description: 'unit leads: assessments returned to their unit' }) resubmit!: number;
  @ApiProperty({ description: 'reviewers: submitted, resubmitted and under-review assessments of their province they did not submit' }) review!: number;
  @ApiProperty({ description: 'approvers: reviewed assessments of their province they neither submitted nor reviewed' }) approve!: number;
  @ApiProperty({ description: 'reviewers: appealed assessments of their province' }) resolve_appeal!: number;
  @ApiProperty({ description: 'admins: periods of their province whose self-assessment is closed' }) publish!: number;
}

class NextWorkResponse {
  @ApiProperty({ type: NextWorkCountsResponse, description: 'how many of each wait, all of them' }) counts!: NextWorkCountsResponse;
  @ApiProperty({ type: [NextWorkItemResponse], description: `the oldest of each, at most ${NEXT_WORK_ITEMS_PER_ACTION} per action, action by action` })
  items!: NextWorkItemResponse[];
}

class MeResponse {
  @ApiProperty() id!: string;
  @ApiProperty() login!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['invited', 'active', 'disabled'] }) status!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ nullable: true, type: String }) unitCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) provinceCode!: string | null;
  @ApiProperty() national!: boolean;
  @ApiProperty({ type: [GrantViewDto] }) grants!: GrantViewDto[];
  @ApiProperty({ nullable: true, type: String, description: 'the session CSRF token; null for bearer callers' }) csrfToken!: string | null;
  @ApiProperty({ type: NextWorkResponse, description: 'what I may do next: assessments and periods awaiting my action, by role (from the read models, a moment behind the commands)' })
  next!: NextWorkResponse;
}

class SignInResponse {
  @ApiProperty({ description: 'repeat it in X-CSRF-Token on every cookie-authenticated write' }) csrfToken!: string;
  @ApiProperty({ type: MeResponse }) me!: MeResponse;
}

class SignInMethodsResponse {
  @ApiProperty({ description: 'login and password (always offered)' }) password!: boolean;
  @ApiProperty({ description: "single sign-on through the province's identity provider: GET /auth/oidc/start" }) oidc!: boolean;
}

class ActivatedResponse {
  @ApiProperty({ description: 'the account that may now sign in with the password' }) login!: string;
}

class OidcStartQuery {
  @ApiPropertyOptional({ description: 'a path of this site to come back to after signing in (default /); anything else is ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  returnTo?: string;
}

/** The flow of one sign-in through the identity provider, kept by the browser for ten minutes. */
const OIDC_FLOW_COOKIE = 'tieuchi_oidc';
const OIDC_FLOW_MINUTES = 10;

function flowOf(request: Request): OidcFlow | undefined {
  const raw = parseCookies(request.headers.cookie ?? '')[OIDC_FLOW_COOKIE];
  if (!raw) return undefined;
  try {
    const flow = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<OidcFlow>;
    const texts = [flow.state, flow.nonce, flow.verifier, flow.returnTo];
    return texts.every((text) => typeof text === 'string' && text.length > 0 && text.length <= 2_000) ? (flow as OidcFlow) : undefined;
  } catch {
    return undefined;
  }
}

const localHosts = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function sessionCookieOptions(request: Request, expires?: Date): CookieOptions {
  // Browsers refuse Secure cookies over plain http, which is only used on this machine.
  return { httpOnly: true, sameSite: 'lax', secure: !localHosts.has(request.hostname), path: '/', ...(expires ? { expires } : {}) };
}

export function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly signIns: SignInService,
    private readonly onboarding: OnboardingService,
    private readonly commands: AccountCommands,
    private readonly store: AccountSecretsStore,
    private readonly me: MeService,
    private readonly authenticator: AccountAuthenticatorService,
    private readonly oidc: OidcSignInService,
  ) {}

  @Get('auth/methods')
  @Public()
  @ApiOperation({ summary: 'How one may sign in here: password, and single sign-on when an identity provider is configured (anyone)' })
  @ApiOkResponse({ type: SignInMethodsResponse })
  methods(): SignInMethodsResponse {
    return { password: true, oidc: this.oidc.enabled };
  }

  @Get('auth/oidc/start')
  @Public()
  @ApiFoundResponse({ description: "redirects the browser to the identity provider's sign-in page" })
  @ApiOperation({
    summary: "Sign in through the province's identity provider: OpenID Connect code flow with PKCE (anyone); 404 AUTH.OIDC_NOT_CONFIGURED without one",
  })
  async oidcStart(@Query() query: OidcStartQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { url, flow } = await this.oidc.start(query.returnTo);
    response.cookie(OIDC_FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
      ...sessionCookieOptions(request, new Date(this.commands.now().getTime() + OIDC_FLOW_MINUTES * 60_000)),
      path: '/auth/oidc',
    });
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(302, url);
  }

  @Get('auth/oidc/callback')
  @Public()
  @ApiFoundResponse({ description: 'signed in: redirects to returnTo with the session cookie; refused: redirects to /sign-in?sso=<reason>' })
  @ApiOperation({
    summary:
      'Where the identity provider sends the browser back (anyone): the code is exchanged with PKCE, state and nonce checked, and the account found by its linked subject or its verified e-mail',
  })
  async oidcCallback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const flow = flowOf(request);
    response.clearCookie(OIDC_FLOW_COOKIE, { ...sessionCookieOptions(request), path: '/auth/oidc' });
    response.setHeader('Cache-Control', 'no-store');
    try {
      const callbackUrl = new URL(request.originalUrl, this.oidc.redirectUri);
      const session = await this.oidc.finish(callbackUrl, flow, clientAddress(request), { correlationId: correlationIdOf(request) });
      response.cookie(SESSION_COOKIE, session.secret, sessionCookieOptions(request, session.expiresAt));
      response.redirect(302, safeReturnTo(flow?.returnTo));
    } catch (error) {
      if (!(error instanceof OidcSignInRefused)) throw error;
      response.redirect(302, `/sign-in?sso=${error.reason}`);
    }
  }

  @Post('auth/sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with login and password (anyone); sets the httpOnly session cookie',
    description:
      'Sets `tieuchi_session` (httpOnly, SameSite=Lax, Secure outside localhost). Writes through the cookie must carry `X-CSRF-Token` with the returned csrfToken. 401 AUTH.SIGN_IN_FAILED alike for an unknown login and a wrong password; 429 AUTH.SIGN_IN_LOCKED after 5 failures of an account (15 min, or until an admin unlocks) or 50 of an address in an hour.',
  })
  @ApiBody({ type: SignInDto })
  @ApiOkResponse({ type: SignInResponse })
  async signIn(@Body() body: SignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<{ csrfToken: string; me: MeView }> {
    const session = await this.signIns.signIn(body.login, body.password, clientAddress(request), { correlationId: correlationIdOf(request) });
    return this.answerSession(session, request, response);
  }

  @Post('auth/sign-out')
  @Authenticated()
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'End this browser session (any signed-in account)' })
  async signOut(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const session = sessionOf(request);
    if (session) await this.signIns.signOut(principal.id, session.sessionId, parseCookies(request.headers.cookie ?? '')[SESSION_COOKIE]);
    response.clearCookie(SESSION_COOKIE, sessionCookieOptions(request));
  }

  @Post('auth/sign-out-everywhere')
  @Authenticated()
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'End every session and signed token of my account (any signed-in account); personal API tokens stay until revoked' })
  async signOutEverywhere(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.commands.execute(principal.id, { type: 'SignOutEverywhere', data: {} }, { actor: principal.id, correlationId: correlationIdOf(request) });
    await this.store.endAll(principal.id, ['session'], this.commands.now());
    response.clearCookie(SESSION_COOKIE, sessionCookieOptions(request));
  }

  @Post('auth/activate')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: ActivatedResponse })
  @ApiOperation({ summary: 'Set the password through a one-time activation or reset link (anyone holding the link)' })
  async activate(@Body() body: ActivateDto, @Req() request: Request): Promise<{ login: string }> {
    return this.onboarding.activate(body.token, body.password, { correlationId: correlationIdOf(request) });
  }

  @Get('me')
  @Authenticated()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Who am I: my account, roles and grants, what I may do next, and the session CSRF token (any signed-in account)' })
  @ApiOkResponse({ type: MeResponse })
  async getMe(@CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<MeView> {
    return this.me.describe(principal, sessionOf(request)?.csrfToken ?? null);
  }

  async answerSession(session: StartedSession, request: Request, response: Response): Promise<{ csrfToken: string; me: MeView }> {
    response.cookie(SESSION_COOKIE, session.secret, sessionCookieOptions(request, session.expiresAt));
    response.setHeader('Cache-Control', 'no-store');
    const credentials = await this.authenticator.session(session.secret);
    if (!credentials) throw sessionExpired();
    return { csrfToken: session.csrfToken, me: await this.me.describe(credentials.principal, session.csrfToken) };
  }
}
