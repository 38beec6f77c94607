import { type AccountEvent, type AccountState, evolveAccount, initialAccountState, scopeOfGrants } from '@tieuchi/accounts/domain';
import type { ProjectionHandler, RecordedEvent, SqlExecutor } from '@tieuchi/shared/event-store';

export const ACCOUNT_STREAM_PREFIX = 'account-';

const accountEventTypes = new Set<string>([
  'AccountInvited',
  'ActivationLinkIssued',
  'AccountActivated',
  'PasswordReset',
  'RoleGranted',
  'RoleRevoked',
  'AccountDisabled',
  'AccountEnabled',
  'SignedIn',
  'SignInFailed',
  'AccountUnlocked',
  'SignedOutEverywhere',
  'ApiTokenCreated',
  'ApiTokenRevoked',
  'OidcSubjectLinked',
  'RolesProposedByIdentityProvider',
] satisfies AccountEvent['type'][]);

function isAccountEvent(event: RecordedEvent): boolean {
  return event.streamName.startsWith(ACCOUNT_STREAM_PREFIX) && accountEventTypes.has(event.type);
}

/**
 * Keeps `accounts` current by folding each account's events through the domain's own evolve
 * (ARCHITECTURE.md §4.13); the folded state is stored with the row so the next batch continues it.
 */
export function accountsProjectionHandler(schema: string): ProjectionHandler {
  const table = `${schema}.accounts`;
  return async (events, tx) => {
    const relevant = events.filter(isAccountEvent);
    if (relevant.length === 0) return;
    const streams = [...new Set(relevant.map((e) => e.streamName))];
    const logins = streams.map((s) => s.slice(ACCOUNT_STREAM_PREFIX.length));
    const stored = await loadStates(tx, table, logins);
    const touched = new Map<string, { state: AccountState; invitedAt: string; updatedAt: string }>();
    for (const event of relevant) {
      const login = event.streamName.slice(ACCOUNT_STREAM_PREFIX.length);
      const previous = touched.get(login) ?? stored.get(login) ?? { state: initialAccountState(), invitedAt: event.metadata.occurredAt, updatedAt: event.metadata.occurredAt };
      touched.set(login, {
        state: evolveAccount(previous.state, { type: event.type, data: event.data } as AccountEvent),
        invitedAt: previous.invitedAt,
        updatedAt: event.metadata.occurredAt,
      });
    }
    for (const [login, { state, invitedAt, updatedAt }] of touched) {
      if (state.status === 'none') continue;
      const scope = scopeOfGrants(state.grants);
      await tx.query(
        `INSERT INTO ${table} (login, name, status, roles, unit_code, province_code, national, grants, last_sign_in_at, invited_at, updated_at, state)
         VALUES ($1, $2, $3, $4::text::text[], $5, $6, $7, $8::text::jsonb, $9, $10, $11, $12::text::jsonb)
         ON CONFLICT (login) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status, roles = EXCLUDED.roles, unit_code = EXCLUDED.unit_code,
           province_code = EXCLUDED.province_code, national = EXCLUDED.national, grants = EXCLUDED.grants,
           last_sign_in_at = EXCLUDED.last_sign_in_at, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state`,
        [
          login,
          state.name,
          state.status,
          `{${scope.roles.join(',')}}`,
          scope.unitCode,
          scope.provinceCode,
          scope.national,
          JSON.stringify(state.grants),
          state.lastSignInAt,
          invitedAt,
          updatedAt,
          JSON.stringify(state),
        ],
      );
    }
  };
}

async function loadStates(tx: SqlExecutor, table: string, logins: readonly string[]): Promise<Map<string, { state: AccountState; invitedAt: string; updatedAt: string }>> {
  const result = await tx.query<{ login: string; state: AccountState; invited_at: Date | string; updated_at: Date | string }>(
    `SELECT login, state, invited_at, updated_at FROM ${table} WHERE login = ANY($1::text::text[])`,
    [`{${logins.map((l) => `"${l.replace(/["\\]/g, '\\$&')}"`).join(',')}}`],
  );
  return new Map(
    result.rows.map((row) => [row.login, { state: row.state, invitedAt: new Date(row.invited_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString() }]),
  );
}
