import { Inject, Injectable } from '@nestjs/common';
import type { Grant } from '@tieuchi/accounts/domain';
import { READ_MODEL_DB } from '@tieuchi/shared/application';
import type { SqlClient, SqlParameter } from '@tieuchi/shared/event-store';
import { ACCOUNTS_READ_MODEL_SCHEMA } from './accounts.projection';

export interface AccountListItem {
  readonly login: string;
  readonly name: string;
  readonly status: string;
  readonly roles: readonly string[];
  readonly unitCode: string | null;
  readonly provinceCode: string | null;
  readonly national: boolean;
  readonly grants: readonly Grant[];
  readonly lastSignInAt: string | null;
  readonly invitedAt: string;
}

export interface AccountFilter {
  readonly province?: string;
  readonly unit?: string;
  readonly role?: string;
  readonly status?: string;
  readonly q?: string;
  readonly limit: number;
  readonly offset: number;
  /** A province admin sees the accounts of their province only. */
  readonly visibleProvince: string | null;
}

interface Row {
  login: string;
  name: string;
  status: string;
  roles: string[];
  unit_code: string | null;
  province_code: string | null;
  national: boolean;
  grants: Grant[];
  last_sign_in_at: Date | string | null;
  invited_at: Date | string;
}

@Injectable()
export class AccountsQuery {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async list(filter: AccountFilter): Promise<{ items: AccountListItem[]; total: number }> {
    const where: string[] = [];
    const params: SqlParameter[] = [];
    const add = (clause: (n: string) => string, value: SqlParameter): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.visibleProvince !== null) add((n) => `province_code = ${n}`, filter.visibleProvince);
    if (filter.province) add((n) => `province_code = ${n}`, filter.province);
    if (filter.unit) add((n) => `unit_code = ${n}`, filter.unit);
    if (filter.role) add((n) => `${n} = ANY(roles)`, filter.role);
    if (filter.status) add((n) => `status = ${n}`, filter.status);
    if (filter.q) add((n) => `(login ILIKE ${n} OR name ILIKE ${n})`, `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const table = `${ACCOUNTS_READ_MODEL_SCHEMA}.accounts`;
    const total = await this.database.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} ${clause}`, params);
    const rows = await this.database.query<Row>(
      `SELECT login, name, status, roles, unit_code, province_code, national, grants, last_sign_in_at, invited_at FROM ${table} ${clause}
       ORDER BY login LIMIT ${filter.limit} OFFSET ${filter.offset}`,
      params,
    );
    return {
      total: Number(total.rows[0]?.n ?? 0),
      items: rows.rows.map((row) => ({
        login: row.login,
        name: row.name,
        status: row.status,
        roles: row.roles,
        unitCode: row.unit_code,
        provinceCode: row.province_code,
        national: row.national,
        grants: row.grants,
        lastSignInAt: row.last_sign_in_at === null ? null : new Date(row.last_sign_in_at).toISOString(),
        invitedAt: new Date(row.invited_at).toISOString(),
      })),
    };
  }

  /** Logins the list shows as active admins of a province (or of the nation) other than `except`; the list may lag its streams. */
  async otherAdminLogins(province: string, except: string): Promise<string[]> {
    const result = await this.database.query<{ login: string }>(
      `SELECT login FROM ${ACCOUNTS_READ_MODEL_SCHEMA}.accounts
       WHERE status = 'active' AND login <> $2 AND grants @> $1::text::jsonb`,
      [JSON.stringify(province === 'national' ? [{ role: 'admin', national: true }] : [{ role: 'admin', provinceCode: province }]), except],
    );
    return result.rows.map((row) => row.login);
  }

  /** The account an identity provider's subject was linked to, if any. */
  async loginOfOidcSubject(issuer: string, subject: string): Promise<string | null> {
    const result = await this.database.query<{ login: string }>(
      `SELECT login FROM ${ACCOUNTS_READ_MODEL_SCHEMA}.accounts WHERE state -> 'oidcSubjects' @> $1::text::jsonb LIMIT 1`,
      [JSON.stringify([{ issuer, subject }])],
    );
    return result.rows[0]?.login ?? null;
  }
}
