import { createPgliteEventStore, PgliteSqlClient } from '@tieuchi/shared/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, type Answer, projectionLags, provisionEmbeddedAccount, type ServiceProcess, sleep, startService, until } from './fault-harness';

type Outcome = 'acknowledged' | 'unanswered' | 'refused';

/**
 * kill -9 of the embedded process (`npm start`: API and worker on PGlite in DATA_DIR) while 20
 * clients write commands with Idempotency-Keys, three times over, each time restarted on the same
 * data folder. The commands left without an answer by a kill are sent again with their keys.
 */
describe('fault: kill -9 of the embedded process while commands are written', () => {
  const clients = 20;
  const kills = 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-fault-embedded-'));
  const env = { EVENT_STORE: 'pglite', DATA_DIR: dataDir, METRICS_TOKEN: 'faults' };
  let api: ServiceProcess | undefined;

  beforeAll(async () => {
    await provisionEmbeddedAccount(dataDir, admin);
  }, 60_000);

  afterAll(async () => {
    await api?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command exactly once, and the store, projections and audit chain intact', async () => {
    const outcomes = new Map<string, Outcome>();
    const bodies = new Map<string, { path: string; body: object }>();
    const refusals = new Set<string>();
    const recoveries: { readyMs: number; firstAnswerMs: number }[] = [];
    let startedMs = 0;

    const sendOnce = async (service: ServiceProcess, bearer: string, key: string): Promise<Outcome> => {
      const { path, body } = bodies.get(key)!;
      let answer: Answer;
      try {
        answer = await service.request('POST', path, { bearer, body, headers: { 'idempotency-key': key }, timeoutMs: 15_000 });
      } catch {
        return 'unanswered';
      }
      if (answer.status < 300) return 'acknowledged';
      refusals.add(`${answer.status} ${answer.body.slice(0, 120)}`);
      return 'refused';
    };

    for (let run = 0; run < kills; run += 1) {
      const startedAt = performance.now();
      api = await startService('api', env);
      const readyMs = await until(async () => (await api!.request('GET', '/health/ready')).status === 200, 90_000, 'embedded API ready');
      if (run === 0) startedMs = readyMs;
      const service = api;
      const bearer = await service.bearer(admin);
      let killed = false;
      let firstAnswerMs = Number.NaN;
      const client = async (index: number): Promise<void> => {
        for (let k = 0; !killed && k < 100; k += 1) {
          const code = String(30_000 + run * 2_000 + index * 100 + k);
          const register = `register-${code}`;
          bodies.set(register, { path: '/units', body: { code, name: `Tỉnh Thử ${code}`, type: 'tỉnh', tier: 'province', parentCode: null } });
          outcomes.set(register, await sendOnce(service, bearer, register));
          if (Number.isNaN(firstAnswerMs) && outcomes.get(register) === 'acknowledged') firstAnswerMs = performance.now() - startedAt;
          if (outcomes.get(register) !== 'acknowledged') return;
          const rename = `rename-${code}`;
          bodies.set(rename, { path: `/units/${code}/rename`, body: { name: `Tỉnh Mới ${code}`, effectiveDate: '2025-07-01', decisionRef: `NQ ${code}` } });
          outcomes.set(rename, await sendOnce(service, bearer, rename));
          if (outcomes.get(rename) !== 'acknowledged') return;
        }
      };
      const acknowledgedBefore = [...outcomes.values()].filter((outcome) => outcome === 'acknowledged').length;
      const load = Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
      // Killed once the clients are well under way, at a moment that differs from run to run.
      await until(async () => [...outcomes.values()].filter((outcome) => outcome === 'acknowledged').length >= acknowledgedBefore + 2 * clients, 60_000, 'commands acknowledged');
      await sleep(150 + run * 350);
      service.child.kill('SIGKILL');
      killed = true;
      await service.exited();
      await load;
      if (run > 0) recoveries.push({ readyMs, firstAnswerMs });
    }

    // Restarted on the same folder once more: every command a kill left unanswered is sent again with its key.
    const restartedAt = performance.now();
    api = await startService('api', env);
    const service = api;
    const readyMs = await until(async () => (await service.request('GET', '/health/ready')).status === 200, 90_000, 'embedded API ready');
    const bearer = await service.bearer(admin);
    const unanswered = [...outcomes].filter(([, outcome]) => outcome === 'unanswered').map(([key]) => key);
    const replayed = { stored: 0, runNow: 0 };
    let firstAnswerMs = Number.NaN;
    await Promise.all(
      unanswered.map(async (key) => {
        const { path, body } = bodies.get(key)!;
        const deadline = performance.now() + 60_000;
        for (;;) {
          const answer = await service.request('POST', path, { bearer, body, headers: { 'idempotency-key': key }, timeoutMs: 15_000 }).catch(() => undefined);
          if (answer && answer.status < 300) {
            if (Number.isNaN(firstAnswerMs)) firstAnswerMs = performance.now() - restartedAt;
            outcomes.set(key, 'acknowledged');
            // A replay is the answer stored before the kill; otherwise the key was taken over and the command ran (or found its events) now.
            if (answer.headers.get('idempotent-replayed') === 'true') replayed.stored += 1;
            else replayed.runNow += 1;
            return;
          }
          // A key claimed when the process died is taken over once its claim is stale (10 s).
          const retryable = !answer || answer.status >= 500 || (answer.status === 409 && answer.body.includes('IDEMPOTENCY_IN_PROGRESS'));
          if (!retryable || performance.now() > deadline) {
            refusals.add(`${answer?.status ?? 'no answer'} ${answer?.body.slice(0, 120) ?? ''}`);
            return;
          }
          await sleep(500);
        }
      }),
    );
    recoveries.push({ readyMs, firstAnswerMs });

    const caughtUpMs = await until(async () => {
      const lags = await projectionLags(service);
      return lags.length > 0 && lags.every((lag) => lag === 0);
    }, 60_000, 'projections caught up');
    const verified = await service.request('GET', '/audit/verify', { bearer });
    await service.stop('SIGTERM');
    api = undefined;

    // The data folder opened on its own: every event readable through the port, each command's events once.
    const sql = await PgliteSqlClient.create({ dataDir });
    const eventStore = await createPgliteEventStore({ client: sql });
    try {
      let readable = 0;
      for (let checkpoint: string | null = null; ; ) {
        const page = await eventStore.readAll(checkpoint, 1_000);
        readable += page.events.length;
        if (page.events.length === 0) break;
        checkpoint = page.checkpoint;
      }
      const { rows } = await sql.query<{ key: string; events: number }>(
        `SELECT metadata->>'causationId' AS key, count(*)::int AS events FROM event_store.events WHERE metadata->>'causationId' ~ '^(register|rename)-' GROUP BY 1`,
      );
      const stored = new Map(rows.map((row) => [row.key, row.events]));
      const total = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_store.events`)).rows[0]!.n;
      const acknowledged = [...outcomes].filter(([, outcome]) => outcome === 'acknowledged').map(([key]) => key);
      const acknowledgedBeforeKills = acknowledged.filter((key) => !unanswered.includes(key));
      const lost = acknowledged.filter((key) => !stored.has(key));
      const duplicated = rows.filter((row) => row.events !== 1).map((row) => row.key);
      const notAcknowledged = [...outcomes].filter(([, outcome]) => outcome !== 'acknowledged').map(([key]) => key);
      const strays = rows.filter((row) => !acknowledged.includes(row.key)).map((row) => row.key);

      const seconds = (ms: number) => (ms / 1000).toFixed(1);
      process.stdout.write(
        `[faults] kill -9 of the embedded process (PGlite, fsync on as by default), ${kills} kills under ${clients} clients: ${outcomes.size} commands, ${acknowledgedBeforeKills.length} acknowledged before the kills, ` +
          `${unanswered.length} left unanswered by a kill and sent again after restart (${replayed.stored} replayed from the stored answer, ${replayed.runNow} run or found in the store on retry); ` +
          `${acknowledged.length} acknowledged in all, ${lost.length} lost, ${duplicated.length} duplicated, ${strays.length} stored without acknowledgement; ` +
          `${total} events in the store, all ${readable} readable through the port; first start ready in ${seconds(startedMs)} s; after each kill ready in ` +
          `${recoveries.map((r) => seconds(r.readyMs)).join(' / ')} s, first command acknowledged ${recoveries.map((r) => seconds(r.firstAnswerMs)).join(' / ')} s after restart; ` +
          `projections caught up ${seconds(caughtUpMs)} s after the retries; audit chain ${verified.body}\n`,
      );
      expect(acknowledgedBeforeKills.length).toBeGreaterThan(clients * kills);
      expect(unanswered.length).toBeGreaterThan(0);
      expect(refusals).toEqual(new Set());
      expect(notAcknowledged).toEqual([]);
      expect(lost).toEqual([]);
      expect(duplicated).toEqual([]);
      expect(strays).toEqual([]);
      expect(readable).toBe(total);
      expect(verified.status).toBe(200);
      expect(JSON.parse(verified.body)).toMatchObject({ ok: true });
    } finally {
      await eventStore.close();
      await sql.close();
    }
  }, 300_000);
});
