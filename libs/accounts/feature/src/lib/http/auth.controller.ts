import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { correlationIdOf } from '@tieuchi/shared/http';
import { Authenticated, CurrentPrincipal, type Principal, Public, SESSION_COOKIE, sessionExpired, sessionOf } from '@tieuchi/shared/auth';
import type { CookieOptions, Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { AccountCommands } from '../account-commands.service';
import { AccountAuthenticatorService } from '../credentials/account-authenticator.service';
import { AccountSecretsStore } from '../credentials/account-secrets.store';
import { OnboardingService } from '../credentials/onboarding.service';
import { SignInService, type StartedSession } from '../credentials/sign-in.service';
import { ActivateDto, SignInDto } from './account.dto';
import { MeService, type MeView } from './me.service';

class MeResponse {
  @ApiProperty() id!: string;
  @ApiProperty() login!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['invited', 'active', 'disabled'] }) status!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ nullable: true, type: String }) unitCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) provinceCode!: string | null;
  @ApiProperty() national!: boolean;
  @ApiProperty({ description: '[{ role, unitCode?, provinceCode?, national? }]', type: 'array', items: { type: 'object' } }) grants!: unknown[];
  @ApiProperty({ nullable: true, type: String, description: 'the session CSRF token; null for bearer callers' }) csrfToken!: string | null;
}

class SignInResponse {
  @ApiProperty({ description: 'repeat it in X-CSRF-Token on every cookie-authenticated write' }) csrfToken!: string;
  @ApiProperty({ type: MeResponse }) me!: MeResponse;
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
  ) {}

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
  @ApiOperation({ summary: 'Set the password through a one-time activation or reset link (anyone holding the link)' })
  async activate(@Body() body: ActivateDto, @Req() request: Request): Promise<{ login: string }> {
    return this.onboarding.activate(body.token, body.password, { correlationId: correlationIdOf(request) });
  }

  @Get('me')
  @Authenticated()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Who am I: my account, roles and grants, and the session CSRF token (any signed-in account)' })
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
