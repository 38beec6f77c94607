import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCOUNT_ROLES, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@tieuchi/accounts/domain';
import { Type } from 'class-transformer';
import { ReadAfterPosition } from '@tieuchi/shared/http';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export const loginPattern = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
const codePattern = /^[0-9]{2,5}$/;

export class SignInDto {
  @ApiProperty({ example: 'admin@daknong', description: 'the account login (e-mail)' })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  login!: string;

  @ApiProperty({ example: 'mật-khẩu-dài', format: 'password', description: 'never logged, never returned' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ActivateDto {
  @ApiProperty({ description: 'the token of the activation (or reset) link' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token must be the token of an activation link' })
  token!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class GrantDto {
  @ApiProperty({ enum: ACCOUNT_ROLES })
  @IsIn(ACCOUNT_ROLES)
  role!: (typeof ACCOUNT_ROLES)[number];

  @ApiPropertyOptional({ example: '660', description: 'unit roles (unit_editor, unit_lead): the unit (mã ĐVHC)' })
  @IsOptional()
  @Matches(codePattern, { message: 'unitCode must be an official unit code of 2–5 digits' })
  unitCode?: string;

  @ApiPropertyOptional({ example: '67', description: 'province roles: the province (mã ĐVHC cấp tỉnh)' })
  @IsOptional()
  @Matches(codePattern, { message: 'provinceCode must be an official code of 2–5 digits' })
  provinceCode?: string;

  @ApiPropertyOptional({ description: 'province roles: every province (only a national admin grants it)' })
  @IsOptional()
  @IsBoolean()
  national?: boolean;
}

export class InviteAccountDto {
  @ApiProperty({ example: 'editor.660@daknong.gov.vn' })
  @IsString()
  @MaxLength(254)
  @Matches(loginPattern, { message: 'login must be an e-mail address' })
  login!: string;

  @ApiProperty({ example: 'Nguyễn Văn A' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: [GrantDto] })
  @IsArray()
  @ArrayMaxSize(6)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => GrantDto)
  grants!: GrantDto[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string | null;
}

export class GrantRoleDto {
  @ApiProperty({ type: GrantDto })
  @IsObject()
  @ValidateNested()
  @Type(() => GrantDto)
  grant!: GrantDto;

  @ApiProperty({ example: 'Phân công thẩm định 2025' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Nghỉ việc' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class LoginParams {
  @ApiProperty({ example: 'editor.660@daknong' })
  @IsString()
  @MaxLength(254)
  @Matches(loginPattern, { message: 'login must be an e-mail address' })
  login!: string;
}

export class ListAccountsQuery {
  @ApiPropertyOptional({ example: '67' })
  @IsOptional()
  @Matches(codePattern, { message: 'province must be an official code of 2–5 digits' })
  province?: string;

  @ApiPropertyOptional({ example: '660' })
  @IsOptional()
  @Matches(codePattern, { message: 'unit must be an official unit code of 2–5 digits' })
  unit?: string;

  @ApiPropertyOptional({ enum: ACCOUNT_ROLES })
  @IsOptional()
  @IsIn(ACCOUNT_ROLES)
  role?: (typeof ACCOUNT_ROLES)[number];

  @ApiPropertyOptional({ enum: ['invited', 'active', 'disabled'] })
  @IsOptional()
  @IsIn(['invited', 'active', 'disabled'])
  status?: 'invited' | 'active' | 'disabled';

  @ApiPropertyOptional({ description: 'part of the login or the name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 1_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;

  @ReadAfterPosition("an account command's position: answer once the list shows that write")
  after?: string;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'báo cáo tự động' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ default: 90, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;
}

export class TokenIdParams {
  @ApiProperty()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'tokenId must be a token id' })
  tokenId!: string;
}

/** A grant as the accounts list shows it: a unit role names its unit, a province role its province or `national`. */
export class GrantViewDto {
  @ApiProperty({ enum: ACCOUNT_ROLES }) readonly role!: string;
  @ApiPropertyOptional({ example: '24728' }) readonly unitCode?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '67' }) readonly provinceCode?: string | null;
  @ApiPropertyOptional() readonly national?: boolean;
}

export class AccountListItemDto {
  @ApiProperty({ example: 'lead.24728@daknong' }) readonly login!: string;
  @ApiProperty({ example: 'Nguyễn Văn A' }) readonly name!: string;
  @ApiProperty({ enum: ['invited', 'active', 'disabled'] }) readonly status!: string;
  @ApiProperty({ type: [String], enum: ACCOUNT_ROLES }) readonly roles!: readonly string[];
  @ApiProperty({ type: String, nullable: true }) readonly unitCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly provinceCode!: string | null;
  @ApiProperty() readonly national!: boolean;
  @ApiProperty({ type: [GrantViewDto] }) readonly grants!: readonly GrantViewDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readonly lastSignInAt!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly invitedAt!: string;
}

export class AccountListDto {
  @ApiProperty({ type: [AccountListItemDto] }) readonly items!: readonly AccountListItemDto[];
  @ApiProperty({ description: 'accounts matching the filters, over all pages' }) readonly total!: number;
}

/** A one-time link issued by an invitation or a reset: mailed, or answered once for the admin to hand over. */
export class IssuedLinkDto {
  @ApiProperty({ example: 'lead.24728@daknong' }) readonly login!: string;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
  @ApiProperty({ description: 'The link was mailed; it is then not in the answer' }) readonly mailed!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Only when not mailed: the one-time link, shown once' }) readonly activationLink!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'opaque position of the write; pass as `after` to GET /accounts to read it' }) readonly position!: string | null;
}

export class ImportedStaffRowDto {
  @ApiProperty({ description: "The file's row (the header is row 1); a person on several rows is named by the first" }) readonly row!: number;
  @ApiProperty({ example: 'lead.24728@daknong' }) readonly login!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Only when not mailed: the one-time activation link, shown once' }) readonly activationLink!: string | null;
  @ApiProperty() readonly mailed!: boolean;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}

export class StaffRowErrorDto {
  @ApiProperty() readonly row!: number;
  @ApiProperty({ example: 'role' }) readonly field!: string;
  @ApiProperty({ example: 'ACCOUNT.INVALID_ROLE' }) readonly code!: string;
  @ApiProperty() readonly message!: string;
}

export class StaffImportResultDto {
  @ApiProperty({ type: [ImportedStaffRowDto] }) readonly imported!: readonly ImportedStaffRowDto[];
  @ApiProperty({ type: [StaffRowErrorDto], description: 'Rows not imported, by row number' }) readonly errors!: readonly StaffRowErrorDto[];
  @ApiProperty({ type: String, nullable: true, description: 'opaque position of the last invitation; pass as `after` to GET /accounts to read the import (null when no one was invited)' }) readonly position!: string | null;
}

export class AccountTokenDto {
  @ApiProperty({ format: 'uuid' }) readonly tokenId!: string;
  @ApiProperty({ example: 'Đồng bộ số liệu' }) readonly name!: string;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}

/** One account as an administrator sees it: never a secret. */
export class AccountDetailDto {
  @ApiProperty({ example: 'lead.24728@daknong' }) readonly login!: string;
  @ApiProperty({ example: 'Nguyễn Văn A' }) readonly name!: string;
  @ApiProperty({ enum: ['invited', 'active', 'disabled'] }) readonly status!: string;
  @ApiProperty({ type: [GrantViewDto] }) readonly grants!: readonly GrantViewDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readonly lastSignInAt!: string | null;
  @ApiProperty({ type: [AccountTokenDto], description: 'its personal API tokens, without their secrets' }) readonly apiTokens!: readonly AccountTokenDto[];
}

/** What a change to an account answers: the account and its stream's new version (the ETag). */
export class AccountVersionDto {
  @ApiProperty({ example: 'lead.24728@daknong' }) readonly login!: string;
  @ApiProperty({ type: 'integer' }) readonly version!: number;
  @ApiProperty({ type: String, nullable: true, description: 'opaque position of the write; pass as `after` to GET /accounts to read it' }) readonly position!: string | null;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' }) readonly tokenId!: string;
  @ApiProperty({ example: 'Đồng bộ số liệu' }) readonly name!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'null for tokens created before the date was recorded' }) readonly createdAt!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}

/** A new personal API token: the secret is in this answer only. */
export class CreatedApiTokenDto {
  @ApiProperty({ format: 'uuid' }) readonly tokenId!: string;
  @ApiProperty({ example: 'Đồng bộ số liệu' }) readonly name!: string;
  @ApiProperty({ description: 'the secret, shown once: send it as `Authorization: Bearer …`' }) readonly token!: string;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}
