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
 * or its own code when it has no parent. A batch reads what it needs in two statements and writes
 * in one, so a national registration of eleven thousand units is a few dozen round trips.
 */
export function unitsProjectionHandler(schema: string): ProjectionHandler {
  const table = `${schema}.units`;
  return async (events, tx) => {
    const relevant = events.filter((event: RecordedEvent) => event.streamName.startsWith(UNIT_STREAM_PREFIX) && unitEventTypes.has(event.type));
    if (relevant.length === 0) return;
    const touched = new Map<string, StoredUnit & { at: string }>();
    const codes = new Set(relevant.map((event) => event.streamName.slice(UNIT_STREAM_PREFIX.length)));
    const stored = await loadUnits(tx, table, [...codes]);
    // Every parent the batch may name, read at once: those its events name and those of the units it changes.
    const parents = new Set<string>();
    for (const event of relevant) {
      const parentCode = (event.data as { parentCode?: string | null }).parentCode;
      if (parentCode) parents.add(parentCode);
    }
    for (const unit of stored.values()) if (unit.state.status !== 'unregistered' && unit.state.parentCode) parents.add(unit.state.parentCode);
    for (const [code, unit] of await loadUnits(tx, table, [...parents].filter((code) => !stored.has(code)))) stored.set(code, unit);
    for (const event of relevant) {
      const code = event.streamName.slice(UNIT_STREAM_PREFIX.length);
      const previous = touched.get(code) ?? stored.get(code) ?? { state: initialUnitState(), version: -1, provinceCode: null };
      const state = evolveUnit(previous.state, { type: event.type, data: event.data } as UnitEvent);
      if (state.status === 'unregistered') continue;
      const parent = state.parentCode === null ? null : (touched.get(state.parentCode) ?? stored.get(state.parentCode) ?? null);
      const provinceCode = state.parentCode === null ? state.code : (parent?.provinceCode ?? null);
      touched.set(code, { state, version: event.version, provinceCode, at: event.metadata.occurredAt });
    }
    const rows = [...touched].flatMap(([code, { state, version, provinceCode, at }]) => {
      if (state.status === 'unregistered') return [];
      return {
        code,
        name: state.name,
        type: state.type,
        tier: state.tier,
        status: state.status,
        parent_code: state.parentCode,
        province_code: provinceCode,
        successor_code: state.status === 'merged_into' ? state.successorCode : null,
        ended_on: state.status === 'active' ? null : state.endedOn,
        version,
        updated_at: at,
        state,
      };
    });
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO ${table} (code, name, type, tier, status, parent_code, province_code, successor_code, ended_on, version, updated_at, state)
       SELECT x.code, x.name, x.type, x.tier, x.status, x.parent_code, x.province_code, x.successor_code, x.ended_on, x.version, x.updated_at::timestamptz, x.state
       FROM jsonb_to_recordset($1::text::jsonb) AS x(code text, name text, type text, tier text, status text, parent_code text, province_code text,
         successor_code text, ended_on text, version integer, updated_at text, state jsonb)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, tier = EXCLUDED.tier, status = EXCLUDED.status,
         parent_code = EXCLUDED.parent_code, province_code = EXCLUDED.province_code, successor_code = EXCLUDED.successor_code,
         ended_on = EXCLUDED.ended_on, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state`,
      [JSON.stringify(rows)],
    );
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

/** The official names of the units with these codes, as the units read model holds them; a code it does not know is absent. */
export async function unitNamesByCode(db: SqlExecutor, schema: string, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const { rows } = await db.query<{ code: string; name: string }>(`SELECT code, name FROM ${schema}.units WHERE code IN (SELECT jsonb_array_elements_text($1::text::jsonb))`, [JSON.stringify([...new Set(codes)])]);
  return new Map(rows.map((row) => [row.code, row.name]));
}
