import { compareSqlCheckpoints } from '@tieuchi/shared/event-store';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { ServiceProcess } from './fault-harness';

/** Every projection checkpoint of every schema, by `schema.projection_id`. */
export async function projectionCheckpoints(databaseUrl: string): Promise<Map<string, string | null>> {
  return withClient(databaseUrl, async (db) => {
    const tables = await db.query<{ table_schema: string }>(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'projection_checkpoints'`);
    const out = new Map<string, string | null>();
    for (const { table_schema: schema } of tables.rows) {
      const { rows } = await db.query<{ projection_id: string; checkpoint: string | null }>(`SELECT projection_id, checkpoint FROM "${schema}".projection_checkpoints`);
      for (const row of rows) out.set(`${schema}.${row.projection_id}`, row.checkpoint);
    }
    return out;
  });
}

/** True once every projection in `expected` exists and every projection has reached the head of the feed. */
export async function projectionsAtHead(databaseUrl: string, expected: readonly string[]): Promise<boolean> {
  const head = await withClient(databaseUrl, async (db) => {
    const { rows } = await db.query<{ head: string | null }>(
      `SELECT transaction_id::text || ':' || global_position::text AS head FROM event_store.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return rows[0]?.head ?? null;
  });
  const checkpoints = await projectionCheckpoints(databaseUrl);
  if (!expected.every((id) => checkpoints.has(id))) return false;
  return head === null || [...checkpoints.values()].every((checkpoint) => checkpoint !== null && compareSqlCheckpoints(checkpoint, head) >= 0);
}

const run = promisify(execFile);

type Json = unknown;

interface Page {
  readonly items?: readonly Record<string, unknown>[];
  readonly nextCursor?: string | null;
}

/**
 * Every query answer the restored system must give exactly as before: the periods, each period's
 * assessments and each assessment with its audit trail, every ranking (tier × part × view), the units,
 * the accounts, the whole audit trail and its verification. Keyed by path; the body as parsed JSON.
 * `perAssessmentTrails: false` leaves out each assessment's own trail and its unit's history (the
 * whole trail is still compared), for the slower embedded drill.
 */
export async function captureAnswers(api: ServiceProcess, bearer: string, options: { perAssessmentTrails?: boolean } = {}): Promise<Map<string, Json>> {
  const answers = new Map<string, Json>();
  const get = async (path: string): Promise<Json> => {
    const answer = await api.request('GET', path, { bearer, timeoutMs: 30_000 });
    const body: Json = answer.headers.get('content-type')?.includes('json') ? JSON.parse(answer.body) : answer.body;
    answers.set(path, { status: answer.status, body });
    return body;
  };
  const all = async (path: string, cursorParameter = 'cursor'): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let next: string | null | undefined = '';
    while (next !== null && next !== undefined) {
      const separator = path.includes('?') ? '&' : '?';
      const page = (await get(next === '' ? path : `${path}${separator}${cursorParameter}=${encodeURIComponent(next)}`)) as Page;
      items.push(...(page.items ?? []));
      next = page.nextCursor;
    }
    return items;
  };

  const periods = await all('/periods?limit=100');
  for (const period of periods) {
    const periodId = String(period['periodId']);
    await get(`/periods/${periodId}`);
    const assessments = await all(`/periods/${periodId}/assessments?limit=100`);
    // Several at a time: answers are keyed by path, so the order they arrive in does not matter.
    await inParallel(assessments, 6, async (assessment) => {
      const unitCode = String(assessment['unitCode']);
      await get(`/periods/${periodId}/assessments/${unitCode}`);
      if (options.perAssessmentTrails === false) return;
      await auditPages(get, `/periods/${periodId}/assessments/${unitCode}/audit`);
      await get(`/units/${unitCode}`);
      await get(`/units/${unitCode}/history`);
    });
    for (const tier of ['district', 'commune']) {
      for (const part of ['readiness', 'results']) {
        for (const view of ['official', 'working']) await get(`/periods/${periodId}/rankings/${tier}/${part}?view=${view}`);
        await get(`/periods/${periodId}/rankings/${tier}/${part}/open-data.json`);
      }
    }
  }
  await get('/accounts?limit=100');
  await auditPages(get, '/audit/events');
  await get('/audit/verify');
  return answers;
}

async function inParallel<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

async function auditPages(get: (path: string) => Promise<Json>, path: string): Promise<void> {
  let after: number | null = 0;
  while (after !== null) {
    const page = (await get(`${path}?limit=500&after=${after}`)) as { next?: number | null };
    after = page.next ?? null;
  }
}

const workspaceRoot = resolve(__dirname, '..', '..');

/** Runs one of the operator's scripts (tools/ops) as `npm run <script>` does, with the given configuration. */
export async function runOpsScript(script: 'backup' | 'restore' | 'drop-read-models', args: readonly string[], env: Record<string, string>): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, ['-r', './tools/register.cjs', `tools/ops/${script}.ts`, ...args], {
      cwd: workspaceRoot,
      env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env },
    });
    return stdout;
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`${script} ${args.join(' ')}: ${failed.stderr?.trim() || failed.message}`);
  }
}

export interface BackupManifestFile {
  readonly events: number;
  readonly head: string | null;
  readonly schemas: readonly string[];
}

export function manifestOf(folder: string): BackupManifestFile {
  return JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as BackupManifestFile;
}

/** One connection for one piece of work, closed whatever happens. */
export async function withClient<T>(databaseUrl: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}
