import type { ProjectionHandler, RecordedEvent, SqlExecutor, SqlMigrationSet } from '@tieuchi/shared/event-store';
import { evolveUnit, initialUnitState, type UnitEvent, type UnitState, unitStreamId } from '@tieuchi/unit/domain';

export const UNITS_PROJECTION_ID = 'units.v1';
const UNIT_STREAM_PREFIX = unitStreamId('');

const unitEventTypes = new Set<string>(['UnitRegistered', 'UnitRenamed', 'UnitTypeChanged', 'UnitsMerged', 'UnitMergedInto', 'UnitDissolved'] satisfies UnitEvent['type'][]);

/** The admin's list of units: one row per unit stream, with the province its parent chain ends in. */
export const unitsReadModelMigrations: SqlMigrationSet = {
  component: 'units',
  migrations: [
    {
      version: 1,
      name: 'units list',
      sql: (schema) => `
        CREATE TABLE ${schema}.units (
          code text PRIMARY KEY,
          name text NOT NULL,
          type text NOT NULL,
          tier text NOT NULL,
          status text NOT NULL,
          parent_code text,
          province_code text,
          successor_code text,
          ended_on text,
          version integer NOT NULL,
          updated_at timestamptz NOT NULL,
          state jsonb NOT NULL
        );
        CREATE INDEX units_province ON ${schema}.units (province_code, tier, code);
        CREATE INDEX units_parent ON ${schema}.units (parent_code);
      `,
    },
  ],
};

interface StoredUnit {
  state: UnitState;
  version: number;
  provinceCode: string | null;
}

/**
 * Keeps `units` current by folding each unit's events through the domain's own evolve. A unit's
 * province is its parent's (read from this table: parents are registered before their children),
 * or its own code when it has no parent.
 */
export function unitsProjectionHandler(schema: string): ProjectionHandler {
  const table = `${schema}.units`;
  return async (events, tx) => {
    const relevant = events.filter((event: RecordedEvent) => event.streamName.startsWith(UNIT_STREAM_PREFIX) && unitEventTypes.has(event.type));
    if (relevant.length === 0) return;
    const touched = new Map<string, StoredUnit & { at: string }>();
    const stored = await loadUnits(tx, table, [...new Set(relevant.map((event) => event.streamName.slice(UNIT_STREAM_PREFIX.length)))]);
    for (const event of relevant) {
      const code = event.streamName.slice(UNIT_STREAM_PREFIX.length);
      const previous = touched.get(code) ?? stored.get(code) ?? { state: initialUnitState(), version: -1, provinceCode: null };
      const state = evolveUnit(previous.state, { type: event.type, data: event.data } as UnitEvent);
      if (state.status === 'unregistered') continue;
      const parent = state.parentCode === null ? null : (touched.get(state.parentCode) ?? (await loadUnits(tx, table, [state.parentCode])).get(state.parentCode) ?? null);
      const provinceCode = state.parentCode === null ? state.code : (parent?.provinceCode ?? null);
      touched.set(code, { state, version: event.version, provinceCode, at: event.metadata.occurredAt });
    }
    for (const [code, { state, version, provinceCode, at }] of touched) {
      if (state.status === 'unregistered') continue;
      await tx.query(
        `INSERT INTO ${table} (code, name, type, tier, status, parent_code, province_code, successor_code, ended_on, version, updated_at, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text::jsonb)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, tier = EXCLUDED.tier, status = EXCLUDED.status,
           parent_code = EXCLUDED.parent_code, province_code = EXCLUDED.province_code, successor_code = EXCLUDED.successor_code,
           ended_on = EXCLUDED.ended_on, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state`,
        [
          code,
          state.name,
          state.type,
          state.tier,
          state.status,
          state.parentCode,
          provinceCode,
          state.status === 'merged_into' ? state.successorCode : null,
          state.status === 'active' ? null : state.endedOn,
          version,
          at,
          JSON.stringify(state),
        ],
      );
    }
  };
}

async function loadUnits(tx: SqlExecutor, table: string, codes: readonly string[]): Promise<Map<string, StoredUnit>> {
  if (codes.length === 0) return new Map();
  const result = await tx.query<{ code: string; state: UnitState; version: number; province_code: string | null }>(
    `SELECT code, state, version, province_code FROM ${table} WHERE code IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [JSON.stringify(codes)],
  );
  return new Map(result.rows.map((row) => [row.code, { state: row.state, version: Number(row.version), provinceCode: row.province_code }]));
}
