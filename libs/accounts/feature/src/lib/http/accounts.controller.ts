import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { ACCOUNTS_PROJECTION_ID } from '@tieuchi/accounts/data-access';
import { type AccountRole, accountErrors, type Grant, type GrantingActor, isAccountRole, isValidLogin, normalizeLogin, provinceOfGrant, UNIT_ACCOUNT_ROLES } from '@tieuchi/accounts/domain';
import { ReadAfter, requestContextOf } from '@tieuchi/shared/application';
import { Authenticated, CurrentPrincipal, type Principal, Roles } from '@tieuchi/shared/auth';
import { ApiIfMatch } from '@tieuchi/shared/http';
import { DomainError, isDomainError } from '@tieuchi/shared/kernel';
import type { Request } from 'express';
import { AccountCommands } from '../account-commands.service';
import { AccountAuthenticatorService } from '../credentials/account-authenticator.service';
import { AccountSecretsStore } from '../credentials/account-secrets.store';
import { type IssuedLink, OnboardingService } from '../credentials/onboarding.service';
import { newId, newSecret } from '../credentials/secrets';
import { SignInLimiter } from '../credentials/sign-in-limiter';
import { LastAdminGuard } from '../last-admin.guard';
import { AccountsQuery } from '../projections/accounts/accounts.query';
import { UnitProvinces } from '../unit-provinces';
import { API_TOKEN_PREFIX } from '@tieuchi/shared/auth';
import {
  AccountDetailDto,
  AccountListDto,
  AccountVersionDto,
  ApiTokenDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
  GrantDto,
  GrantRoleDto,
  type ImportedStaffRowDto,
  InviteAccountDto,
  IssuedLinkDto,
  ListAccountsQuery,
  LoginParams,
  ReasonDto,
  StaffImportResultDto,
  type StaffRowErrorDto,
  TokenIdParams,
} from './account.dto';
import { grantingActorOf, toGrant } from './actor-scope';
import { parseStaffCsv, parseStaffXlsx, StaffFileError, type StaffRow } from './staff-import';

export const STAFF_FILE_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] as const;

function adminProvinceOf(actor: GrantingActor): string | null {
  if (actor.kind === 'system' || actor.national) return null;
  return actor.provinceCode ?? '∅';
}

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly commands: AccountCommands,
    private readonly onboarding: OnboardingService,
    private readonly units: UnitProvinces,
    private readonly query: AccountsQuery,
    private readonly limiter: SignInLimiter,
    private readonly authenticator: AccountAuthenticatorService,
    private readonly lastAdmin: LastAdminGuard,
    private readonly readAfter: ReadAfter,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: AccountListDto })
  @ApiOperation({ summary: 'List accounts with filters (administrators; a province admin sees their province)' })
  async list(@Query() { after, ...query }: ListAccountsQuery, @CurrentPrincipal() principal: Principal): Promise<AccountListDto> {
    await this.readAfter.waitFor(ACCOUNTS_PROJECTION_ID, after);
    return this.query.list({ ...query, limit: query.limit ?? 100, offset: query.offset ?? 0, visibleProvince: adminProvinceOf(await this.actor(principal)) });
  }

  @Post()
  @ApiIfMatch()
  @Roles('admin')
  @ApiCreatedResponse({ type: IssuedLinkDto })
  @ApiOperation({
    summary: 'Invite one person (administrators, within their province)',
    description: 'Answers the one-time activation link when no SMTP server is configured (shown once), otherwise mails it.',
  })
  async invite(@Body() body: InviteAccountDto, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<IssuedLink> {
    const grants = await Promise.all(body.grants.map((grant, index) => toGrant(grant, `grants.${index}`, this.units)));
    return this.onboarding.invite({ login: body.login, name: body.name, grants, reason: body.reason ?? null }, await this.actor(principal), requestContextOf(request));
  }

  @Post('import')
  @Roles('admin')
  @HttpCode(200)
  @ApiConsumes(...STAFF_FILE_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'CSV or XLSX with columns login, name, role, unit, province (one role per row)' })
  @ApiPayloadTooLargeResponse({ description: 'FILE.XLSX_TOO_LARGE: the workbook unpacks past the XLSX bound (64 MB inflated, 2,000 zip parts), checked before it is parsed; or the upload is over 2 MB.' })
  @ApiOkResponse({ type: StaffImportResultDto })
  @ApiOperation({ summary: 'Invite staff from a CSV or XLSX file, with per-row errors (administrators, within their province)' })
  async import(@Req() request: Request, @CurrentPrincipal() principal: Principal): Promise<StaffImportResultDto> {
    const body: unknown = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new DomainError('ACCOUNT.IMPORT_FILE', 'validation', 'Send the staff list as text/csv or as an XLSX workbook.', 'body');
    }
    let rows: StaffRow[];
    try {
      rows = request.is('text/csv') ? parseStaffCsv(body) : await parseStaffXlsx(body);
    } catch (error) {
      if (error instanceof StaffFileError) throw new DomainError(error.tooLarge ? 'FILE.XLSX_TOO_LARGE' : 'ACCOUNT.IMPORT_FILE', error.tooLarge ? 'too_large' : 'validation', error.message, 'body');
      throw error;
    }
    const errors: StaffRowErrorDto[] = [];
    const imported: ImportedStaffRowDto[] = [];
    let position: string | null = null;
    const byLogin = new Map<string, { name: string; rows: number[]; grants: Grant[] }>();
    for (const row of rows) {
      const login = normalizeLogin(row.login);
      const fail = (field: string, code: string, message: string): void => void errors.push({ row: row.row, field, code, message });
      if (!isValidLogin(login)) {
        fail('login', 'ACCOUNT.INVALID_LOGIN', 'login must be an e-mail address');
        continue;
      }
      if (row.name === '' || row.name.length > 200) {
        fail('name', 'ACCOUNT.INVALID_NAME', 'name is required (at most 200 characters)');
        continue;
      }
      if (!isAccountRole(row.role)) {
        fail('role', 'ACCOUNT.INVALID_ROLE', `role must be one of unit_editor, unit_lead, reviewer, approver, admin, auditor`);
        continue;
      }
      const role: AccountRole = row.role;
      const dto: GrantDto = UNIT_ACCOUNT_ROLES.includes(role)
        ? { role, ...(row.unitCode ? { unitCode: row.unitCode } : {}) }
        : { role, ...(row.national.toLowerCase() === 'true' ? { national: true } : row.provinceCode ? { provinceCode: row.provinceCode } : {}) };
      try {
        if (dto.unitCode !== undefined && !/^[0-9]{2,5}$/.test(dto.unitCode)) throw new DomainError('ACCOUNT.INVALID_GRANT', 'validation', 'unit must be an official unit code', 'unit');
        const grant = await toGrant(dto, UNIT_ACCOUNT_ROLES.includes(role) ? 'unit' : 'province', this.units, 'unit');
        const entry = byLogin.get(login) ?? { name: row.name, rows: [], grants: [] };
        entry.rows.push(row.row);
        entry.grants.push(grant);
        byLogin.set(login, entry);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        fail(error.field ?? 'role', error.code, error.message);
      }
    }
    const actor = await this.actor(principal);
    for (const [login, entry] of byLogin) {
      try {
        const link = await this.onboarding.invite({ login, name: entry.name, grants: entry.grants, reason: 'import' }, actor, requestContextOf(request));
        imported.push({ row: entry.rows[0] ?? 0, login, activationLink: link.activationLink, mailed: link.mailed, expiresAt: link.expiresAt });
        position = link.position ?? position;
      } catch (error) {
        if (!isDomainError(error) || error.category === 'internal') throw error;
        for (const row of entry.rows) errors.push({ row, field: error.field ?? 'role', code: error.code, message: error.message });
      }
    }
    errors.sort((a, b) => a.row - b.row);
    return { imported, errors, position };
  }

  @Get(':login')
  @Roles('admin')
  @ApiOkResponse({ type: AccountDetailDto })
  @ApiOperation({ summary: "One account's status and grants (administrators, within their province)" })
  async get(@Param() params: LoginParams, @CurrentPrincipal() principal: Principal) {
    const account = await this.visibleAccount(params.login, principal);
    return {
      login: account.login,
      name: account.name,
      status: account.status,
      grants: account.grants,
      lastSignInAt: account.lastSignInAt,
      apiTokens: account.apiTokens.map(({ tokenId, name, expiresAt }) => ({ tokenId, name, expiresAt })),
    };
  }

  @Post(':login/grants')
  @ApiIfMatch()
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountVersionDto })
  @ApiOperation({ summary: 'Grant a role, no wider than my own (administrators)' })
  async grant(@Param() params: LoginParams, @Body() body: GrantRoleDto, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const grant = await toGrant(body.grant, 'grant', this.units);
    const outcome = await this.commands.execute(params.login, { type: 'GrantRole', data: { grant, reason: body.reason, actor: await this.actor(principal) } }, requestContextOf(request));
    return { login: normalizeLogin(params.login), version: outcome.version, position: outcome.checkpoint };
  }

  @Post(':login/grants/revoke')
  @ApiIfMatch()
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountVersionDto })
  @ApiOperation({ summary: 'Revoke a role (administrators, within their province; never the last admin of a province)' })
  async revoke(@Param() params: LoginParams, @Body() body: GrantRoleDto, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const grant = await toGrant(body.grant, 'grant', this.units);
    const actor = await this.actor(principal);
    const revoke = (otherAdmins: number) =>
      this.commands.execute(params.login, { type: 'RevokeRole', data: { grant, reason: body.reason, actor, otherAdmins } }, requestContextOf(request));
    const outcome = grant.role === 'admin' ? await this.lastAdmin.removing(grant, normalizeLogin(params.login), revoke) : await revoke(1);
    return { login: normalizeLogin(params.login), version: outcome.version, position: outcome.checkpoint };
  }

  @Post(':login/disable')
  @ApiIfMatch()
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountVersionDto })
  @ApiOperation({ summary: 'Disable an account: its sessions and tokens stop working (administrators)' })
  async disable(@Param() params: LoginParams, @Body() body: ReasonDto, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const account = await this.visibleAccount(params.login, principal);
    const admin = account.grants.find((g) => g.role === 'admin');
    const actor = await this.actor(principal);
    const disable = (otherAdmins: number) =>
      this.commands.execute(account.login, { type: 'DisableAccount', data: { reason: body.reason, actor, otherAdmins } }, requestContextOf(request));
    const outcome = admin ? await this.lastAdmin.removing(admin, account.login, disable) : await disable(1);
    return { login: account.login, version: outcome.version, position: outcome.checkpoint };
  }

  @Post(':login/enable')
  @ApiIfMatch()
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountVersionDto })
  @ApiOperation({ summary: 'Enable a disabled account again (administrators)' })
  async enable(@Param() params: LoginParams, @Body() body: ReasonDto, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const outcome = await this.commands.execute(params.login, { type: 'EnableAccount', data: { reason: body.reason, actor: await this.actor(principal) } }, requestContextOf(request));
    return { login: normalizeLogin(params.login), version: outcome.version, position: outcome.checkpoint };
  }

  @Post(':login/unlock')
  @ApiIfMatch()
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountVersionDto })
  @ApiOperation({ summary: 'Lift a sign-in lockout now (administrators)' })
  async unlock(@Param() params: LoginParams, @Body() body: ReasonDto, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const outcome = await this.commands.execute(params.login, { type: 'UnlockAccount', data: { reason: body.reason, actor: await this.actor(principal) } }, requestContextOf(request));
    await this.limiter.unlock(normalizeLogin(params.login));
    return { login: normalizeLogin(params.login), version: outcome.version, position: outcome.checkpoint };
  }

  @Post(':login/reset')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: IssuedLinkDto })
  @ApiOperation({ summary: 'Issue a new one-time link: activation for an invited account, password reset for an active one (administrators)' })
  async reset(@Param() params: LoginParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<IssuedLink> {
    const account = await this.visibleAccount(params.login, principal);
    return this.onboarding.issueLink(account.login, account.name, account.status === 'invited' ? 'activation' : 'reset', requestContextOf(request));
  }

  private async actor(principal: Principal): Promise<GrantingActor> {
    return grantingActorOf(await this.authenticator.account(principal.id));
  }

  private async visibleAccount(login: string, principal: Principal) {
    const account = await this.authenticator.account(normalizeLogin(login));
    const province = adminProvinceOf(await this.actor(principal));
    if (!account) throw accountErrors.notFound(normalizeLogin(login));
    if (province !== null && !account.grants.every((g) => provinceOfGrant(g) === province)) {
      throw accountErrors.notFound(account.login);
    }
    return account;
  }
}

@ApiTags('me')
@Controller('me/tokens')
export class ApiTokensController {
  constructor(
    private readonly commands: AccountCommands,
    private readonly store: AccountSecretsStore,
    private readonly authenticator: AccountAuthenticatorService,
  ) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [ApiTokenDto] })
  @ApiOperation({ summary: 'My personal API tokens (any signed-in account); never their secrets' })
  async list(@CurrentPrincipal() principal: Principal) {
    const account = await this.authenticator.account(principal.id);
    return (account?.apiTokens ?? []).map(({ tokenId, name, createdAt, expiresAt }) => ({ tokenId, name, createdAt, expiresAt }));
  }

  @Post()
  @ApiIfMatch()
  @Authenticated()
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiOperation({ summary: 'Create a personal API token, shown once (any active account)' })
  async create(@Body() body: CreateApiTokenDto, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const tokenId = newId();
    const token = `${API_TOKEN_PREFIX}${newSecret()}`;
    const now = this.commands.now();
    const expiresAt = new Date(now.getTime() + (body.expiresInDays ?? 90) * 86_400_000);
    await this.commands.execute(principal.id, { type: 'CreateApiToken', data: { tokenId, name: body.name, expiresAt: expiresAt.toISOString() } }, requestContextOf(request));
    await this.store.save(token, { kind: 'api_token', login: principal.id, reference: tokenId, csrfToken: null, createdAt: now, expiresAt });
    return { tokenId, name: body.name.trim(), token, expiresAt: expiresAt.toISOString() };
  }

  @Delete(':tokenId')
  @ApiIfMatch()
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of my personal API tokens (its owner)' })
  async revoke(@Param() params: TokenIdParams, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<void> {
    await this.commands.execute(principal.id, { type: 'RevokeApiToken', data: { tokenId: params.tokenId } }, requestContextOf(request));
    await this.store.endByReference(principal.id, 'api_token', params.tokenId, this.commands.now());
  }
}
