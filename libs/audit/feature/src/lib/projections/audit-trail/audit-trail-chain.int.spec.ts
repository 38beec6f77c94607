import { createHash } from 'node:crypto';
import { auditEventsTable, auditTrailMigrations, describeEvent, summarize } from '@tieuchi/audit/data-access';
import { applyMigrations, PostgresSqlClient, type RecordedEvent } from '@tieuchi/shared/event-store';
import { createTestSchema, type TestSchema, testDatabaseUrl } from '@tieuchi/shared/testing';
import { auditTrailHandler } from './audit-trail.projection';

/** A small PRNG, so the fixture is the same history on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A history touching every kind of change the trail records: values carried by the event, values
 * taken from the stream's earlier rows (across batches), status moves that depend on the previous
 * status, evidence files, reasons with Vietnamese text, account, unit and period events, and a
 * type the trail does not know.
 */
function fixtureHistory(): RecordedEvent[] {
  const random = mulberry32(19);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const events: RecordedEvent[] = [];
  const versions = new Map<string, number>();
  const at = (n: number) => new Date(Date.UTC(2019, 10, 1) + n * 61_000).toISOString();
  const push = (streamName: string, type: string, data: unknown) => {
    const n = events.length;
    const version = versions.get(streamName) ?? 0;
    versions.set(streamName, version + 1);
    events.push({
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      streamName,
      version,
      type,
      data,
      metadata: { actor: `editor.${n % 7}@daknong`, correlationId: `corr-${Math.floor(n / 3)}`, causationId: `cause-${n}`, occurredAt: at(n), schemaVersion: 1 },
      recordedAt: at(n + 1),
      checkpoint: `${1000 + Math.floor(n / 4)}:${n + 1}`,
    });
  };
  const acted = (n: number) => ({ by: `editor.${n % 7}@daknong`, at: at(n) });
  push('unit-67', 'UnitRegistered', { code: '67', name: 'Tỉnh Đắk Nông', tier: 'province', type: 'province' });
  push('unit-660', 'UnitRegistered', { code: '660', name: 'Huyện Cư Jút', tier: 'district', type: 'district' });
  push('period-2019-67', 'PeriodOpened', { framework: { id: 'nd-2019', version: 1 }, provinceCode: '67', year: 2019 });
  push('account-a', 'AccountInvited', { login: 'a@tinh.vn', name: 'Nguyễn Văn A', grants: [{ role: 'reviewer', provinceCode: '67' }], reason: 'nhập danh sách' });
  push('account-a', 'AccountActivated', { linkId: 'l1', method: 'password' });
  push('unit-660', 'UnitRenamed', { previousName: 'Huyện Cư Jút', name: 'Huyện Cư Jút mới', decisionRef: '12/QĐ-UBND' });
  push('misc', 'SomethingNew', { comment: 'một loại sự kiện lạ', nested: { b: 1, a: [2, { d: null, c: 'x' }] } });
  const codes = ['X.1', 'X.2', 'Y.1.a', 'Y.2', 'Z.10'];
  for (let s = 0; s < 6; s += 1) {
    const stream = `assessment-2019-67-${660 + s}`;
    push(stream, 'AssessmentStarted', { ...acted(events.length), periodId: '2019-67', unitCode: String(660 + s), tier: 'commune', frameworkId: 'nd-2019', frameworkVersion: 1 });
    for (let i = 0; i < 40; i += 1) {
      const criterionCode = pick(codes);
      const points = random() < 0.1 ? null : Math.round(random() * 40) / 4;
      const evidence =
        random() < 0.3
          ? [
              { kind: 'file', name: `minh-chứng-${i}.pdf`, size: 1000 + i, mediaType: 'application/pdf', sha256: createHash('sha256').update(`${s}/${i}`).digest('hex') },
              { kind: 'reference', reference: `Công văn ${i}/UBND` },
            ]
          : [];
      push(stream, 'CriterionScored', { ...acted(events.length), criterionCode, answer: { kind: 'value', value: points }, points, evidence, explanation: random() < 0.5 ? `lần ${i}` : null });
    }
    push(stream, 'AssessmentSubmitted', { ...acted(events.length), revision: 1 });
    if (s % 2 === 0) {
      push(stream, 'SubmissionWithdrawn', { ...acted(events.length), revision: 1 });
      push(stream, 'AssessmentSubmitted', { ...acted(events.length), revision: 1 });
    }
    push(stream, 'ReviewStarted', { ...acted(events.length), revision: 1 });
    push(stream, 'CriterionAccepted', { ...acted(events.length), criterionCode: 'X.1', answer: { kind: 'value', value: 1 }, points: 1 });
    push(stream, 'CriterionAdjusted', { ...acted(events.length), criterionCode: 'X.2', answer: { kind: 'value', value: 0.5 }, points: 0.5, selfPoints: 2, reason: 'thiếu minh chứng' });
    push(stream, 'AssessmentReturned', { ...acted(events.length), revision: 1, comment: 'Bổ sung "minh chứng"\nvà ký', flaggedCriteria: ['X.2'] });
    push(stream, 'CriterionScored', { ...acted(events.length), criterionCode: 'X.2', answer: { kind: 'value', value: 3 }, points: 3, evidence: [], explanation: null });
    push(stream, 'AssessmentResubmitted', { ...acted(events.length), revision: 2, previousRevision: 1 });
    push(stream, 'ReviewStarted', { ...acted(events.length), revision: 2 });
    push(stream, 'ReviewCompleted', { ...acted(events.length), revision: 2 });
    if (s === 3) {
      push(stream, 'ReviewReopened', { ...acted(events.length), revision: 2, reason: 'Đơn vị gửi bổ sung' });
      push(stream, 'ReviewCompleted', { ...acted(events.length), revision: 2 });
    }
    push(stream, 'AssessmentApproved', { ...acted(events.length), revision: 2 });
    push(stream, 'AssessmentPublished', { ...acted(events.length), revision: 2, periodId: '2019-67', decisionNumber: '45/QĐ-UBND', decisionDate: '2019-12-20' });
    if (s % 3 === 1) {
      push(stream, 'AssessmentAppealed', { ...acted(events.length), revision: 2, reason: 'Khiếu nại điểm', criteriaCodes: ['Y.2'] });
      push(stream, 'AppealResolved', {
        ...acted(events.length),
        outcome: 'revised',
        reason: 'Chấp nhận một phần',
        appealedRevision: 2,
        revision: 3,
        adjustments: [{ criterionCode: 'Y.2', answer: { kind: 'value', value: 4 }, points: 4, previousPoints: 2.5, reason: 'đủ minh chứng' }],
      });
    }
    push(stream, 'ScoresRecalculated', {
      ...acted(events.length),
      revision: 2,
      cause: { kind: 'framework_amended', frameworkId: 'nd-2019', frameworkVersion: 2, decisionRef: s % 2 === 0 ? '12/QĐ-STTTT' : null, sourceEventId: null },
      parts: [{ partCode: 'readiness', oldTotal: 40.25, newTotal: 41.5, oldLevel: 'II', newLevel: null, newFigures: { maxPoints: 100, total: 41.5, excludedPoints: 0, unanswered: 1 } }],
    });
    push('account-a', 'SignedIn', { method: 'password', address: '203.0.113.7', at: at(events.length) });
  }
  push('account-a', 'RoleRevoked', { grant: { role: 'reviewer', provinceCode: '67' }, reason: 'chuyển công tác', at: at(events.length) });
  push('account-a', 'AccountDisabled', { reason: 'nghỉ việc', at: at(events.length) });
  push('account-a', 'AccountEnabled', { reason: 'trở lại' });
  return events;
}

/** The first canonical form the trail was hashed with (as in audit-chain.unit.spec). */
function canonicalJsonAsFirstWritten(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJsonAsFirstWritten).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJsonAsFirstWritten(v)}`).join(',')}}`;
}

/** A value as PostgreSQL's jsonb gives it back: object keys shortest first, then by their bytes. */
function asReadFromJsonb(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(asReadFromJsonb);
  const keys = Object.keys(value).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Object.fromEntries(keys.map((key) => [key, asReadFromJsonb((value as Record<string, unknown>)[key])]));
}

/**
 * The rows the trail says for a history, as its chain was first defined: a change without its
 * starting value starts from the stream's latest value, as the same batch left it or as stored
 * (in jsonb's key order, which a summary shows) when an earlier batch wrote it.
 */
function chainAsFirstDefined(events: readonly RecordedEvent[], batchSize: number): Record<string, unknown>[] {
  const latest = new Map<string, unknown>();
  let previousHash = '';
  return events.map((event, index) => {
    if (index % batchSize === 0) for (const [key, value] of latest) latest.set(key, asReadFromJsonb(value));
    const { changes, reason } = describeEvent(event);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const resolved = changes.map((change) => {
      const key = `${event.streamName}/${change.subject}`;
      const from = change.from !== undefined ? change.from : (latest.get(key) ?? null);
      const to: unknown = typeof change.to === 'function' ? (change.to as (f: unknown) => unknown)(from) : change.to;
      before[change.subject] = from ?? null;
      after[change.subject] = to ?? null;
      latest.set(key, to ?? null);
      return { subject: change.subject, from: from ?? null, to: to ?? null };
    });
    const content = {
      position: index + 1,
      checkpoint: event.checkpoint,
      eventId: event.id,
      stream: event.streamName,
      version: event.version,
      type: event.type,
      actor: event.metadata.actor,
      occurredAt: event.metadata.occurredAt,
      recordedAt: event.recordedAt,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId,
      summary: summarize(event.type, resolved, reason),
      before,
      after,
      reason,
    };
    const hash = createHash('sha256').update(previousHash).update(canonicalJsonAsFirstWritten(content)).digest('hex');
    const row = { ...content, previousHash, hash };
    previousHash = hash;
    return row;
  });
}

describe('the audit trail’s hash chain', () => {
  const history = fixtureHistory();
  let client: PostgresSqlClient;
  const schemas: TestSchema[] = [];

  beforeAll(() => {
    client = new PostgresSqlClient({ connectionString: testDatabaseUrl() });
  });

  afterAll(async () => {
    for (const schema of schemas) await schema.drop();
    await client?.close();
  });

  const emptyTrail = async (): Promise<string> => {
    const schema = await createTestSchema('audit_chain');
    schemas.push(schema);
    await applyMigrations(client, schema.name, auditTrailMigrations);
    return schema.name;
  };

  const storedRows = async (schema: string) => {
    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT position, checkpoint, event_id, stream, stream_version, type, actor, occurred_at, recorded_at, correlation_id, causation_id,
         summary, before, after, reason, previous_hash, hash FROM ${schema}.${auditEventsTable} ORDER BY position`,
    );
    return rows.map((row) => ({
      position: Number(row['position']),
      checkpoint: row['checkpoint'],
      eventId: row['event_id'],
      stream: row['stream'],
      version: row['stream_version'],
      type: row['type'],
      actor: row['actor'],
      occurredAt: row['occurred_at'],
      recordedAt: row['recorded_at'],
      correlationId: row['correlation_id'],
      causationId: row['causation_id'],
      summary: row['summary'],
      before: row['before'],
      after: row['after'],
      reason: row['reason'],
      previousHash: row['previous_hash'],
      hash: row['hash'],
    }));
  };

  it('is the chain as first defined, the same hashes whatever the batches', async () => {
    // The fixture's last hashes as the trail first wrote them: a writer that changes them breaks every stored chain.
    expect(chainAsFirstDefined(history, history.length).at(-1)?.['hash']).toBe('e50157d485b292b54d1eae14bb9a23980163435434d7e96f8d3024c26b6fcf3d');
    expect(chainAsFirstDefined(history, 1).at(-1)?.['hash']).toBe('cbc83bcc5411078d084264f6b7f75de0da223bbdbeac6f9963b69c8b9dceca9e');
    for (const batchSize of [1, 7, 100, history.length]) {
      const expected = chainAsFirstDefined(history, batchSize);
      const schema = await emptyTrail();
      const handler = auditTrailHandler(schema);
      for (let start = 0; start < history.length; start += batchSize) {
        await client.transaction((tx) => handler(history.slice(start, start + batchSize), tx));
      }
      expect(await storedRows(schema)).toEqual(expected);
    }
  }, 60_000);

  it('is the same when a batch was rolled back and applied again', async () => {
    const schema = await emptyTrail();
    const handler = auditTrailHandler(schema);
    const batches = Array.from({ length: Math.ceil(history.length / 50) }, (_, i) => history.slice(i * 50, i * 50 + 50));
    await client.transaction((tx) => handler(batches[0] ?? [], tx));
    await expect(
      client.transaction(async (tx) => {
        await handler(batches[1] ?? [], tx);
        throw new Error('the checkpoint moved under the batch');
      }),
    ).rejects.toThrow('the checkpoint moved');
    for (const batch of batches.slice(1)) await client.transaction((tx) => handler(batch, tx));
    expect(await storedRows(schema)).toEqual(chainAsFirstDefined(history, 50));
    // A batch applied twice (a runner that lost track of its checkpoint) is refused, not recorded again.
    await expect(client.transaction((tx) => handler(batches.at(-1) ?? [], tx))).rejects.toThrow('already records event');
    expect(await storedRows(schema)).toHaveLength(history.length);
  }, 60_000);

  it('is the same when the handler keeps few values, another writer appended meanwhile, or a batch goes in several statements', async () => {
    const few = await emptyTrail();
    const forgetful = auditTrailHandler(few, { keptValues: 5 });
    for (let start = 0; start < history.length; start += 10) await client.transaction((tx) => forgetful(history.slice(start, start + 10), tx));
    expect(await storedRows(few)).toEqual(chainAsFirstDefined(history, 10));

    // Two processes taking turns, as when the projection's lock moves from one to the other.
    const shared = await emptyTrail();
    const writers = [auditTrailHandler(shared), auditTrailHandler(shared)];
    for (let start = 0, turn = 0; start < history.length; start += 10, turn += 1) {
      const writer = writers[Math.floor(turn / 3) % 2] ?? forgetful;
      await client.transaction((tx) => writer(history.slice(start, start + 10), tx));
    }
    expect(await storedRows(shared)).toEqual(chainAsFirstDefined(history, 10));

    // A batch written in several INSERTs, each sent while the next rows are built.
    const chunked = await emptyTrail();
    const inChunks = auditTrailHandler(chunked, { rowsPerInsert: 3 });
    for (let start = 0; start < history.length; start += 100) await client.transaction((tx) => inChunks(history.slice(start, start + 100), tx));
    expect(await storedRows(chunked)).toEqual(chainAsFirstDefined(history, 100));
  }, 60_000);
});
