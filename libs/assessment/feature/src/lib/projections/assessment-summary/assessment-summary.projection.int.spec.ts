import { createHash, randomUUID } from 'node:crypto';
import { ASSESSMENT_SUMMARY_PROJECTION_ID, assessmentViewsMigrations } from '@tieuchi/assessment/data-access';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the Đắk Nông record is this projection's acceptance fixture; only the spec reads it.
import { buildDaknongHistory, loadDaknongDemoInput } from '@tieuchi/demo/daknong';
import { createPostgresEventStore, PostgresSqlClient, ProjectionRunner, type SqlEventStore } from '@tieuchi/shared/event-store';
import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { FrameworkVersions } from '@tieuchi/framework/data-access';
import { assessmentSummaryHandler } from './assessment-summary.handler';
import { ASSESSMENT_SUMMARY_BATCH_SIZE } from './assessment-summary.projection';
import { READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';

/**
 * given(the Đắk Nông 2018 and 2019 history: 158 assessments filled, reviewed with adjustments by
 * several reviewers, approved and published) → then(every row of the assessment read model). The
 * digest pins the rows as the projection wrote them one statement per event, before runs of
 * scores and of reviews were folded into one statement each: any change to the output shows here.
 */
const TABLES = {
  assessment_periods: 'period_id',
  assessment_summaries: 'period_id, unit_code',
  assessment_criteria: 'period_id, unit_code, criterion_code',
  assessment_part_scores: 'period_id, unit_code, part_code',
} as const;

const DIGEST_OF_HISTORY = 'f3ad1b625395c9da702e9ab79a37f9d29a58175c5443653623e35574a25e0d50';

describe('assessment summary projection over the Đắk Nông record', () => {
  let database: TestDatabase;
  let client: PostgresSqlClient;
  let store: SqlEventStore;
  let head = '';

  /** Rebuilds the read model from nothing up to the end of the history, in batches of `batchSize`. */
  const project = async (batchSize: number): Promise<void> => {
    await client.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
    await catchUp(batchSize);
  };

  /** Runs the projection from its checkpoint up to the end of the history. */
  const catchUp = async (batchSize: number): Promise<void> => {
    const runner = new ProjectionRunner({
      projectionId: ASSESSMENT_SUMMARY_PROJECTION_ID,
      source: store,
      database: client,
      schema: S,
      migrations: [assessmentViewsMigrations],
      handler: assessmentSummaryHandler(new FrameworkVersions(store)),
      batchSize,
      pollIntervalMs: 20,
      maxAttempts: 1,
    });
    await runner.start();
    try {
      await runner.waitFor(head, 300_000);
    } finally {
      await runner.stop();
    }
  };

  const digest = async (): Promise<string> => {
    const hash = createHash('sha256');
    for (const [table, key] of Object.entries(TABLES)) hash.update(JSON.stringify((await client.query(`SELECT * FROM ${S}.${table} ORDER BY ${key}`)).rows));
    return hash.digest('hex');
  };

  /** The effective answers kept per assessment are the criteria's, reviewed over self, for every assessment. */
  const expectAnswersOfCriteria = async (): Promise<void> => {
    const { rows } = await client.query<{ kept: number; differing: number }>(
      `WITH aggregated AS (
         SELECT period_id, unit_code, jsonb_object_agg(criterion_code, COALESCE(reviewed_answer, self_answer)) AS answers
         FROM ${S}.assessment_criteria WHERE COALESCE(reviewed_answer, self_answer) IS NOT NULL GROUP BY period_id, unit_code
       )
       SELECT (SELECT count(*) FROM ${S}.assessment_answers)::int AS kept,
              (SELECT count(*) FROM aggregated g FULL JOIN ${S}.assessment_answers a USING (period_id, unit_code)
               WHERE g.answers IS DISTINCT FROM a.answers)::int AS differing`,
    );
    expect(rows[0]).toEqual({ kept: 158, differing: 0 });
  };

  beforeAll(async () => {
    database = await createTestDatabase('assessment_summary');
    client = new PostgresSqlClient({ connectionString: database.connectionString });
    store = await createPostgresEventStore({ client });
    // One append per command: consecutive events of one stream, in the history's global order.
    const events = buildDaknongHistory(loadDaknongDemoInput()).events;
    for (let index = 0; index < events.length; ) {
      const first = events[index]!;
      let end = index;
      while (end < events.length && events[end]!.streamId === first.streamId) end += 1;
      const batch = events.slice(index, end).map((e) => ({ id: randomUUID(), type: e.event.type, data: e.event.data, metadata: e.metadata }));
      head = (await store.appendToStream(first.streamId, batch, { expectedVersion: first.streamPosition === 0 ? 'no_stream' : first.streamPosition - 1 })).checkpoint;
      index = end;
    }
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await client?.close();
    await database?.drop();
  });

  it('writes the same rows whatever the batch size, exactly as one statement per event did', async () => {
    for (const batchSize of [1, 97, ASSESSMENT_SUMMARY_BATCH_SIZE]) {
      await project(batchSize);
      expect({ batchSize, digest: await digest() }).toEqual({ batchSize, digest: DIGEST_OF_HISTORY });
    }
    // The rows are not empty by accident: every assessment of both periods, every criterion reviewed.
    const { rows } = await client.query<{ summaries: string; reviewed: string; unreviewed: string }>(
      `SELECT (SELECT count(*) FROM ${S}.assessment_summaries)::text AS summaries,
              (SELECT count(*) FROM ${S}.assessment_criteria WHERE review_decision IS NOT NULL)::text AS reviewed,
              (SELECT count(*) FROM ${S}.assessment_criteria WHERE review_decision IS NULL)::text AS unreviewed`,
    );
    expect(Number(rows[0]?.summaries)).toBe(158);
    expect(Number(rows[0]?.reviewed)).toBeGreaterThan(3_000);
    expect(Number(rows[0]?.unreviewed)).toBe(0);
    await expectAnswersOfCriteria();
  }, 300_000);

  it('writes a run of recalculations as one statement per event would, whatever the batch size', async () => {
    // Two recalculations of every assessment, the second of every other one recorded after all the firsts.
    const started = (await store.readAll(null, 100_000)).events.filter((e) => e.type === 'AssessmentStarted');
    const recalculate = async (streamName: string, data: { frameworkId: string; frameworkVersion: number }, round: number) => {
      const events = await store.readStream(streamName);
      const revision = Math.max(0, ...events.map((e) => Number((e.data as { revision?: number }).revision ?? 0))) + 1;
      const recorded = {
        by: 'system:recalculation',
        at: `2020-03-0${round}T00:00:00.000Z`,
        revision,
        cause: { kind: 'framework_amended', frameworkId: data.frameworkId, frameworkVersion: data.frameworkVersion, decisionRef: `${round}/QĐ-UBND`, sourceEventId: randomUUID() },
        parts: [{ partCode: 'readiness', oldTotal: 10, newTotal: 11, oldLevel: null, newLevel: null }],
      };
      const metadata = { actor: 'system:recalculation', correlationId: 'recalculation-run', causationId: randomUUID(), occurredAt: recorded.at, schemaVersion: 1 };
      head = (await store.appendToStream(streamName, [{ id: randomUUID(), type: 'ScoresRecalculated', data: recorded, metadata }], { expectedVersion: events.at(-1)!.version })).checkpoint;
    };
    for (const event of started) await recalculate(event.streamName, event.data as { frameworkId: string; frameworkVersion: number }, 1);
    for (const event of started.filter((_e, i) => i % 2 === 0)) await recalculate(event.streamName, event.data as { frameworkId: string; frameworkVersion: number }, 2);

    // One event per batch is what one statement per event wrote.
    const digests: string[] = [];
    for (const batchSize of [1, ASSESSMENT_SUMMARY_BATCH_SIZE]) {
      await project(batchSize);
      digests.push(await digest());
    }
    expect(new Set(digests).size).toBe(1);
    await expectAnswersOfCriteria();
    // A read model migrated to version 2 after the fact gets the same answers from its criteria.
    await client.query(`DROP TABLE ${S}.assessment_answers`);
    await client.exec(assessmentViewsMigrations.migrations.find((m) => m.version === 2)!.sql(S));
    await expectAnswersOfCriteria();
    expect(digests[0]).not.toBe(DIGEST_OF_HISTORY);
    const { rows } = await client.query<{ at: string; n: string }>(`SELECT updated_at AS at, count(*)::text AS n FROM ${S}.assessment_summaries GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([
      { at: '2020-03-01T00:00:00.000Z', n: '79' },
      { at: '2020-03-02T00:00:00.000Z', n: '79' },
    ]);
  }, 300_000);

  it('removes the part scores an assessment no longer has, and leaves the parts it has', async () => {
    await project(ASSESSMENT_SUMMARY_BATCH_SIZE);
    const before = await digest();
    const [summary] = (await client.query<{ stream_name: string; period_id: string; unit_code: string }>(`SELECT stream_name, period_id, unit_code FROM ${S}.assessment_summaries ORDER BY stream_name LIMIT 1`)).rows;
    // A part this assessment's framework does not have (as after an amendment that dropped a part).
    await client.query(
      `INSERT INTO ${S}.assessment_part_scores (period_id, unit_code, part_code, tier, max_points, total, excluded_points, score, level, unanswered)
       VALUES ($1, $2, 'dropped-part', 'district', 10, 5, 0, 5, NULL, 0)`,
      [summary!.period_id, summary!.unit_code],
    );
    const parts = async () => (await client.query<Record<string, unknown>>(`SELECT * FROM ${S}.assessment_part_scores WHERE period_id = $1 AND unit_code = $2 ORDER BY part_code`, [summary!.period_id, summary!.unit_code])).rows;
    const kept = (await parts()).filter((row) => row['part_code'] !== 'dropped-part');
    expect(kept.length).toBeGreaterThan(0);
    // Any event that makes the projection score the assessment again.
    const events = await store.readStream(summary!.stream_name);
    const metadata = { actor: 'system:recalculation', correlationId: 'stale-part', causationId: randomUUID(), occurredAt: '2020-03-05T00:00:00.000Z', schemaVersion: 1 };
    const started = events[0]!.data as { frameworkId: string; frameworkVersion: number };
    const recorded = {
      by: 'system:recalculation',
      at: metadata.occurredAt,
      revision: 99,
      cause: { kind: 'framework_amended', frameworkId: started.frameworkId, frameworkVersion: started.frameworkVersion, decisionRef: '5/QĐ-UBND', sourceEventId: randomUUID() },
      parts: [],
    };
    head = (await store.appendToStream(summary!.stream_name, [{ id: randomUUID(), type: 'ScoresRecalculated', data: recorded, metadata }], { expectedVersion: events.at(-1)!.version })).checkpoint;
    await catchUp(ASSESSMENT_SUMMARY_BATCH_SIZE);
    expect(await parts()).toEqual(kept);
    expect(await digest()).not.toBe(before); // the summary's version and time moved; its parts did not
  }, 300_000);

  it('takes the part scores a recalculation recorded, and scores the answers again when one is given after it', async () => {
    await project(ASSESSMENT_SUMMARY_BATCH_SIZE);
    const [summary] = (
      await client.query<{ stream_name: string; period_id: string; unit_code: string; framework_id: string; framework_version: number }>(
        `SELECT stream_name, period_id, unit_code, framework_id, framework_version FROM ${S}.assessment_summaries ORDER BY stream_name OFFSET 1 LIMIT 1`,
      )
    ).rows;
    const parts = async () =>
      (
        await client.query<{ part_code: string; max_points: number; total: number; excluded_points: number; score: number; level: string | null; unanswered: number }>(
          `SELECT part_code, max_points, total, excluded_points, score, level, unanswered FROM ${S}.assessment_part_scores WHERE period_id = $1 AND unit_code = $2 ORDER BY part_code`,
          [summary!.period_id, summary!.unit_code],
        )
      ).rows;
    const scoredFromAnswers = await parts();
    expect(scoredFromAnswers.length).toBeGreaterThan(0);

    const events = await store.readStream(summary!.stream_name);
    let version = events.at(-1)!.version;
    const metadata = { actor: 'system:recalculation', correlationId: 'recorded-figures', causationId: randomUUID(), occurredAt: '2020-03-06T00:00:00.000Z', schemaVersion: 1 };
    // Figures no scoring of these answers gives, so the rows can only have come from the event.
    const recalculation = {
      id: randomUUID(),
      type: 'ScoresRecalculated',
      metadata,
      data: {
        by: metadata.actor,
        at: metadata.occurredAt,
        revision: 100,
        cause: { kind: 'framework_amended', frameworkId: summary!.framework_id, frameworkVersion: Number(summary!.framework_version), decisionRef: '6/QĐ-UBND', sourceEventId: randomUUID() },
        parts: scoredFromAnswers.map((part) => ({
          partCode: part.part_code,
          oldTotal: part.score,
          newTotal: part.score + 1,
          oldLevel: part.level,
          newLevel: 'II',
          newFigures: { maxPoints: part.max_points + 2, total: part.total + 1, excludedPoints: 3, unanswered: 4 },
        })),
      },
    };
    head = (await store.appendToStream(summary!.stream_name, [recalculation], { expectedVersion: version })).checkpoint;
    version += 1;
    await catchUp(ASSESSMENT_SUMMARY_BATCH_SIZE);
    expect(await parts()).toEqual(
      scoredFromAnswers.map((part) => ({ ...part, max_points: part.max_points + 2, total: part.total + 1, excluded_points: 3, score: part.score + 1, level: 'II', unanswered: 4 })),
    );

    // The same recalculation followed, in the same batch, by an answer: scored from the answers. The
    // answer is the one a reviewer accepted, given again, so the effective answers stay as they were.
    type Answered = { criterionCode: string; answer: unknown };
    const accepted = events.findLast((event) => event.type === 'CriterionAccepted')!.data as Answered;
    const scored = events.findLast((event) => event.type === 'CriterionScored' && (event.data as Answered).criterionCode === accepted.criterionCode)!;
    const lastScore = { ...scored, data: { ...(scored.data as Answered), answer: accepted.answer } };
    head = (
      await store.appendToStream(
        summary!.stream_name,
        [
          { ...recalculation, id: randomUUID() },
          { id: randomUUID(), type: 'CriterionScored', data: lastScore.data, metadata: lastScore.metadata },
        ],
        { expectedVersion: version },
      )
    ).checkpoint;
    await catchUp(ASSESSMENT_SUMMARY_BATCH_SIZE);
    expect(await parts()).toEqual(scoredFromAnswers);
  }, 300_000);
});
