import {
  type AssessmentEvent,
  type AssessmentFacts,
  type AssessmentStatus,
  changesAnswers,
  foldAssessmentFacts,
  type PartRecalculation,
  RANKED_STATUSES,
  UNREAD_ANSWERS,
} from '@tieuchi/assessment/domain';
import type { FrameworkVersions } from '@tieuchi/framework/data-access';
import { type CriterionAnswer, criterionCodes, type FrameworkDefinition, scoreTierParts } from '@tieuchi/framework/domain';
import type { PeriodEvent } from '@tieuchi/period/domain';
import { type MergeRule, mergesInEffect, type PastResultsEvent, rankUnits, type UnitMerge } from '@tieuchi/ranking/domain';
import { importedPeriodId, RANKING_EDITIONS_CHANNEL, WORKING_EDITION } from '@tieuchi/ranking/data-access';
import type { ProjectionHandler, RecordedEvent, SqlExecutor } from '@tieuchi/shared/event-store';
import { assertNever } from '@tieuchi/shared/kernel';
import type { UnitEvent } from '@tieuchi/unit/domain';
import { READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';

/** Rankings are computed from approved and published scores only (ARCHITECTURE.md §3). */

interface PeriodRow {
  period_id: string;
  province_code: string;
  year: number;
  framework_id: string;
  framework_version: number;
}

interface ScoreRow {
  unit_code: string;
  unit_name: string;
  tier: string;
  part_code: string;
  score: number;
  level: string | null;
}

interface MergeRow {
  successor_code: string;
  effective_date: string;
  predecessor_codes: string[];
  comparison_rule: MergeRule;
}

/** The assessment facts as the projection keeps them, one row per stream. */
interface AssessmentRow {
  stream_name: string;
  period_id: string;
  unit_code: string;
  tier: string;
  status: AssessmentStatus;
  framework_id: string;
  framework_version: number;
  revision: number;
  recalculated_by: string[];
  recalculated: readonly PartRecalculation[] | { parts: readonly PartRecalculation[] } | null;
  /** Null where the batch did not read them. */
  answers: Record<string, CriterionAnswer> | null;
}

const factsOfRow = (row: AssessmentRow): AssessmentFacts => ({
  periodId: row.period_id,
  unitCode: row.unit_code,
  status: row.status,
  tier: row.tier,
  framework: { id: row.framework_id, version: Number(row.framework_version) },
  revision: Number(row.revision),
  answers: row.answers ?? UNREAD_ANSWERS,
  recalculatedBy: row.recalculated_by,
  // Rows written before version 4 kept the parts with the framework they were recalculated on, always the current one.
  recalculatedParts: row.recalculated === null ? null : Array.isArray(row.recalculated) ? row.recalculated : (row.recalculated as { parts: readonly PartRecalculation[] }).parts,
});

/**
 * Whether a stream's events of a batch need its kept answers: they change them, or they record no
 * recalculation, whose parts would be the scores after them (a recalculation run would otherwise
 * read every form of a period).
 */
const needsAnswers = (run: readonly AssessmentEvent[]): boolean => run.some(changesAnswers) || !run.some((event) => event.type === 'ScoresRecalculated');

/**
 * One batch of the rankings projection: assessments are folded in memory and written once per
 * touched assessment, not per answer (millions of jsonb rewrites at national scale); a period is
 * re-ranked once per batch, or while catching up once at the head. A publication or correction
 * flushes what came before it, then freezes the ranking at that event into a new edition.
 */
class RankingsBatch {
  /** The facts of every assessment of the batch, as kept and then folded through the batch's events. */
  private readonly facts = new Map<string, AssessmentFacts | null>();
  /** The facts as they were read, to write only those that moved, and their answers only when they moved. */
  private readonly kept = new Map<string, AssessmentFacts>();
  private readonly moved = new Set<string>();
  /** Assessment events not folded yet, by stream: each stream's are folded at once before the facts are read. */
  private readonly pending = new Map<string, AssessmentEvent[]>();
  private readonly correctionPending = new Set<string>();
  private readonly registeredUnits = new Map<string, { name: string; tier: string; parentCode: string | null }>();
  private readonly touchedAssessments = new Set<string>();
  private readonly touchedPeriods = new Set<string>();
  /** Periods that got a new official edition in this batch: the next year compares against it. */
  private readonly editedPeriods = new Set<string>();
  private mergeRows: Promise<MergeRow[]> | null = null;

  constructor(
    private readonly tx: SqlExecutor,
    private readonly frameworks: FrameworkVersions,
    private readonly catchingUp: boolean,
  ) {}

  /** Reads the kept facts of every assessment the batch names, in one statement; their answers only where needed. */
  async load(events: readonly RecordedEvent[]): Promise<void> {
    const runs = new Map<string, AssessmentEvent[]>();
    for (const recorded of events) {
      if (!recorded.streamName.startsWith('assessment-')) continue;
      const event = { type: recorded.type, data: recorded.data } as AssessmentEvent;
      const run = runs.get(recorded.streamName);
      if (run) run.push(event);
      else runs.set(recorded.streamName, [event]);
    }
    if (runs.size === 0) return;
    const withAnswers = [...runs].flatMap(([stream, run]) => (needsAnswers(run) ? [stream] : []));
    const { rows } = await this.tx.query<AssessmentRow>(
      `SELECT stream_name, period_id, unit_code, tier, status, framework_id, framework_version, revision, recalculated_by, recalculated,
         CASE WHEN stream_name IN (SELECT jsonb_array_elements_text($2::text::jsonb)) THEN answers END AS answers
       FROM ${S}.ranking_assessments WHERE stream_name IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
      [JSON.stringify([...runs.keys()]), JSON.stringify(withAnswers)],
    );
    for (const row of rows) {
      const facts = factsOfRow(row);
      this.kept.set(row.stream_name, facts);
      this.facts.set(row.stream_name, facts);
    }
  }

  async apply(recorded: RecordedEvent): Promise<void> {
    if (recorded.streamName.startsWith('assessment-')) this.applyAssessment(recorded);
    else if (recorded.streamName.startsWith('period-')) await this.applyPeriod({ type: recorded.type, data: recorded.data } as PeriodEvent);
    else if (recorded.streamName.startsWith('unit-')) await this.applyUnit({ type: recorded.type, data: recorded.data } as UnitEvent);
    else if (recorded.streamName.startsWith('past-results-')) await this.applyPastResults({ type: recorded.type, data: recorded.data } as PastResultsEvent);
  }

  /**
   * A year the province published before tieuchi becomes a period of its own with one official
   * edition, the decision's, its rows as the decision printed them (ranked by score among the
   * units with a level). The next year compares with it as with any official edition, and says so.
   */
  private async applyPastResults(event: PastResultsEvent): Promise<void> {
    const d = event.data;
    const periodId = importedPeriodId(d.provinceCode, d.year);
    await this.tx.query(
      `INSERT INTO ${S}.ranking_periods (period_id, province_code, year, framework_id, framework_version, decisions, imported)
       VALUES ($1, $2, $3, 'imported', 0, 1, true) ON CONFLICT (period_id) DO NOTHING`,
      [periodId, d.provinceCode, d.year],
    );
    const tables: unknown[] = [];
    const rows: unknown[] = [];
    const groups = new Map<string, PastResultsEvent['data']['results'][number][]>();
    for (const result of d.results) groups.set(`${result.tier}\u0000${result.partCode}`, [...(groups.get(`${result.tier}\u0000${result.partCode}`) ?? []), result]);
    for (const results of groups.values()) {
      const first = results[0];
      if (!first) continue;
      const ranked = results.filter((r) => r.level !== null).sort((a, b) => b.score - a.score || a.unitCode.localeCompare(b.unitCode));
      const unranked = results.filter((r) => r.level === null).sort((a, b) => b.score - a.score || a.unitCode.localeCompare(b.unitCode));
      const byLevel: Record<string, number> = {};
      for (const r of ranked) byLevel[r.level ?? ''] = (byLevel[r.level ?? ''] ?? 0) + 1;
      tables.push({ tier: first.tier, part_code: first.partCode, counts: { units: results.length, ranked: ranked.length, unranked: unranked.length, byLevel } });
      const base = { tier: first.tier, part_code: first.partCode, previous_score: null, previous_source: null, change: null };
      ranked.forEach((r, i) =>
        rows.push({ ...base, position: i, rank: 1 + ranked.filter((other) => other.score > r.score).length, unit_code: r.unitCode, unit_name: r.unitName, score: r.score, level: r.level }),
      );
      unranked.forEach((r, i) => rows.push({ ...base, position: ranked.length + i, rank: null, unit_code: r.unitCode, unit_name: r.unitName, score: r.score, level: null }));
    }
    await this.tx.query(
      `INSERT INTO ${S}.ranking_tables (period_id, edition, tier, part_code, decision_number, decision_date, counts, compared_with)
       SELECT $1, 1, x.tier, x.part_code, $2, $3, x.counts, NULL FROM jsonb_to_recordset($4::text::jsonb) AS x(tier text, part_code text, counts jsonb)
       ON CONFLICT (period_id, edition, tier, part_code) DO NOTHING`,
      [periodId, d.decisionNumber, d.decisionDate, JSON.stringify(tables)],
    );
    await this.tx.query(
      `INSERT INTO ${S}.ranking_rows (period_id, edition, tier, part_code, position, rank, unit_code, unit_name, score, level, previous_score, previous_source, change)
       SELECT $1, 1, x.tier, x.part_code, x.position, x.rank, x.unit_code, x.unit_name, x.score, x.level, x.previous_score, x.previous_source, x.change
       FROM jsonb_to_recordset($2::text::jsonb) AS x(tier text, part_code text, position integer, rank integer, unit_code text, unit_name text,
         score double precision, level text, previous_score double precision, previous_source text, change double precision)
       ON CONFLICT (period_id, edition, tier, part_code, position) DO NOTHING`,
      [periodId, JSON.stringify(rows)],
    );
    await this.tx.query('SELECT pg_notify($1, $2)', [RANKING_EDITIONS_CHANNEL, periodId]);
    this.editedPeriods.add(periodId);
  }

  async finish(): Promise<void> {
    await this.refreshScores();
    await this.writeUnits();
    // The next year's changes are measured against this period's official edition (R-PREVIOUS-OFFICIAL),
    // so only a new edition moves them: a working change of this year leaves next year's ranking as it is.
    const followers = new Set<string>();
    if (this.editedPeriods.size > 0) {
      const next = await this.tx.query<{ period_id: string }>(
        `SELECT n.period_id FROM ${S}.ranking_periods p JOIN ${S}.ranking_periods n ON n.province_code = p.province_code AND n.year = p.year + 1
         WHERE p.period_id IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
        [JSON.stringify([...this.editedPeriods])],
      );
      for (const row of next.rows) followers.add(row.period_id);
      this.editedPeriods.clear();
    }
    const touched = [...this.touchedPeriods];
    this.touchedPeriods.clear();
    if (this.catchingUp) {
      // A catch-up batch spans many periods: each is re-ranked once, at the head, not once per batch.
      if (touched.length > 0) {
        await this.tx.query(`UPDATE ${S}.ranking_periods SET ranking_pending = true WHERE NOT ranking_pending AND period_id IN (SELECT jsonb_array_elements_text($1::text::jsonb))`, [
          JSON.stringify(touched),
        ]);
      }
    } else {
      const pending = await this.tx.query<{ period_id: string }>(`UPDATE ${S}.ranking_periods SET ranking_pending = false WHERE ranking_pending RETURNING period_id`);
      for (const periodId of new Set([...touched, ...pending.rows.map((row) => row.period_id)])) if (!followers.has(periodId)) await this.rank(periodId, WORKING_EDITION, null);
    }
    // Followers are compared at once: whether a change is pending depends on the working ranking at this event.
    for (const periodId of followers) await this.rank(periodId, WORKING_EDITION, null);
    for (const periodId of followers) await this.markChangedComparisons(periodId);
  }

  /**
   * A published period whose previous year got a new official edition: where a unit's previous
   * score now differs from the one its official edition printed, the working ranking (re-ranked
   * above) is a correction in waiting, exactly as after a recalculation, until a correction
   * decision of this period freezes it.
   */
  private async markChangedComparisons(periodId: string): Promise<void> {
    await this.tx.query(
      `UPDATE ${S}.ranking_periods p SET correction_pending = true
       WHERE p.period_id = $1 AND p.decisions > 0 AND NOT p.correction_pending AND EXISTS (
         SELECT 1 FROM ${S}.ranking_rows w JOIN ${S}.ranking_rows o
           ON o.period_id = w.period_id AND o.edition = p.decisions AND o.tier = w.tier AND o.part_code = w.part_code AND o.unit_code = w.unit_code
         WHERE w.period_id = p.period_id AND w.edition = ${WORKING_EDITION}
           AND (w.previous_score, w.previous_source) IS DISTINCT FROM (o.previous_score, o.previous_source))`,
      [periodId],
    );
  }

  private applyAssessment(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as AssessmentEvent;
    const run = this.pending.get(recorded.streamName);
    if (run) run.push(event);
    else this.pending.set(recorded.streamName, [event]);
  }

  private foldPending(): void {
    for (const [stream, run] of this.pending) {
      const before = this.facts.get(stream) ?? null;
      const after = foldAssessmentFacts(before, run);
      if (after === before) continue;
      this.facts.set(stream, after);
      this.moved.add(stream);
      this.touchedAssessments.add(stream);
      // After publication a change of scores is a correction in waiting: only a correction decision makes it official.
      if (run.some((event) => event.type === 'ScoresRecalculated' || (event.type === 'AppealResolved' && event.data.adjustments.length > 0))) this.correctionPending.add(stream);
    }
    this.pending.clear();
  }

  /** Writes the facts that moved, in one statement; answers only where they moved. */
  private async writeAssessments(): Promise<void> {
    this.foldPending();
    if (this.moved.size === 0) return;
    const rows: unknown[] = [];
    const answers: unknown[] = [];
    for (const stream of this.moved) {
      const facts = this.facts.get(stream);
      if (!facts) continue;
      rows.push({
        stream_name: stream,
        period_id: facts.periodId,
        unit_code: facts.unitCode,
        tier: facts.tier,
        status: facts.status,
        framework_id: facts.framework.id,
        framework_version: facts.framework.version,
        revision: facts.revision,
        recalculated_by: facts.recalculatedBy,
        // Ranking reads only the recorded scores and levels of a part, not its other figures.
        recalculated: facts.recalculatedParts?.map(({ partCode, oldTotal, newTotal, oldLevel, newLevel }) => ({ partCode, oldTotal, newTotal, oldLevel, newLevel })) ?? null,
      });
      if (this.kept.get(stream)?.answers !== facts.answers) {
        if (facts.answers === UNREAD_ANSWERS) throw new Error(`the answers of ${stream} were not read, yet they are written`);
        answers.push({ stream_name: stream, answers: facts.answers });
      }
      this.kept.set(stream, facts);
    }
    this.moved.clear();
    await this.tx.query(
      `INSERT INTO ${S}.ranking_assessments (stream_name, period_id, unit_code, tier, status, framework_id, framework_version, revision, recalculated_by, recalculated)
       SELECT x.stream_name, x.period_id, x.unit_code, x.tier, x.status, x.framework_id, x.framework_version, x.revision, x.recalculated_by, x.recalculated
       FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, period_id text, unit_code text, tier text, status text, framework_id text,
              framework_version integer, revision integer, recalculated_by jsonb, recalculated jsonb)
       ON CONFLICT (stream_name) DO UPDATE SET period_id = EXCLUDED.period_id, unit_code = EXCLUDED.unit_code, tier = EXCLUDED.tier, status = EXCLUDED.status,
         framework_id = EXCLUDED.framework_id, framework_version = EXCLUDED.framework_version, revision = EXCLUDED.revision,
         recalculated_by = EXCLUDED.recalculated_by, recalculated = EXCLUDED.recalculated`,
      [JSON.stringify(rows)],
    );
    // Apart, so that the facts of a status change do not rewrite a hundred answers.
    if (answers.length > 0) {
      await this.tx.query(
        `UPDATE ${S}.ranking_assessments a SET answers = x.answers
         FROM jsonb_to_recordset($1::text::jsonb) AS x(stream_name text, answers jsonb) WHERE a.stream_name = x.stream_name`,
        [JSON.stringify(answers)],
      );
    }
    if (this.correctionPending.size > 0) {
      await this.tx.query(
        `UPDATE ${S}.ranking_periods SET correction_pending = true
         WHERE decisions > 0 AND period_id IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
        [JSON.stringify([...new Set([...this.correctionPending].flatMap((stream) => this.facts.get(stream)?.periodId ?? []))])],
      );
      this.correctionPending.clear();
    }
  }

  private async applyPeriod(event: PeriodEvent): Promise<void> {
    switch (event.type) {
      case 'PeriodOpened': {
        const d = event.data;
        await this.tx.query(
          `INSERT INTO ${S}.ranking_periods (period_id, province_code, year, framework_id, framework_version) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (period_id) DO NOTHING`,
          [d.periodId, d.provinceCode, d.year, d.framework.id, d.framework.version],
        );
        this.touchedPeriods.add(d.periodId);
        return;
      }
      case 'FrameworkVersionPinned': {
        // On a published period the pin announces a recalculation: the official edition stays as it is.
        const { rows } = await this.tx.query<Pick<PeriodRow, 'framework_id' | 'framework_version'>>(
          `UPDATE ${S}.ranking_periods p SET framework_id = $2, framework_version = $3, correction_pending = p.correction_pending OR p.decisions > 0
           FROM ${S}.ranking_periods old WHERE p.period_id = $1 AND old.period_id = p.period_id
           RETURNING old.framework_id, old.framework_version`,
          [event.data.periodId, event.data.frameworkId, event.data.version],
        );
        // The scores move with the ScoresRecalculated that follow, and re-rank the period then. The pin
        // itself re-ranks only if it changes what rank() reads of the framework (a national run pins 63 periods).
        const before = rows[0];
        const [from, to] = await Promise.all([
          before ? this.frameworks.load(before.framework_id, Number(before.framework_version)) : null,
          this.frameworks.load(event.data.frameworkId, event.data.version),
        ]);
        if (!from || !to || rankingShapeOf(from) !== rankingShapeOf(to)) this.touchedPeriods.add(event.data.periodId);
        return;
      }
      case 'SelfAssessmentClosed':
      case 'PeriodDeadlinesExtended':
        return;
      case 'PeriodPublished':
      case 'PeriodCorrected': {
        const d = event.data;
        await this.refreshScores();
        await this.writeUnits();
        const counted = await this.tx.query<{ decisions: number }>(
          `UPDATE ${S}.ranking_periods SET decisions = decisions + 1, correction_pending = false WHERE period_id = $1 RETURNING decisions`,
          [d.periodId],
        );
        if (event.type === 'PeriodPublished' && event.data.exclusions.length > 0) {
          await this.tx.query(
            `INSERT INTO ${S}.ranking_exclusions (period_id, unit_code, unit_name, tier, reason)
             SELECT $1, x."unitCode", x."unitName", x.tier, x.reason
             FROM jsonb_to_recordset($2::text::jsonb) AS x("unitCode" text, "unitName" text, tier text, reason text)
             ON CONFLICT (period_id, unit_code) DO NOTHING`,
            [d.periodId, JSON.stringify(event.data.exclusions)],
          );
        }
        const edition = counted.rows[0]?.decisions;
        if (edition !== undefined) await this.rank(d.periodId, Number(edition), { number: d.decisionNumber, date: d.decisionDate });
        this.editedPeriods.add(d.periodId);
        return;
      }
      default:
        return assertNever(event, 'period event');
    }
  }

  private async applyUnit(event: UnitEvent): Promise<void> {
    if (event.type === 'UnitRegistered') {
      // A registration sets the whole row, so of several in a batch the last one is what stays.
      this.registeredUnits.set(event.data.code, { name: event.data.name, tier: event.data.tier, parentCode: event.data.parentCode });
      return;
    }
    await this.writeUnits();
    switch (event.type) {
      case 'UnitRenamed':
        await this.tx.query(`UPDATE ${S}.ranking_units SET name = $2 WHERE unit_code = $1`, [event.data.code, event.data.name]);
        return;
      case 'UnitTypeChanged':
        await this.tx.query(`UPDATE ${S}.ranking_units SET tier = $2 WHERE unit_code = $1`, [event.data.code, event.data.tier]);
        return;
      case 'UnitsMerged': {
        const d = event.data;
        this.registeredUnits.set(d.successorCode, { name: d.name, tier: d.tier, parentCode: d.parentCode });
        await this.writeUnits();
        // A successor under a new code begins with the merge; one that keeps a predecessor's code existed before it.
        if (!d.predecessorCodes.includes(d.successorCode)) {
          await this.tx.query(`UPDATE ${S}.ranking_units SET began_on = $2 WHERE unit_code = $1`, [d.successorCode, d.effectiveDate]);
        }
        await this.tx.query(
          `INSERT INTO ${S}.ranking_merges (successor_code, effective_date, predecessor_codes, comparison_rule) VALUES ($1, $2, $3::text::jsonb, $4)
           ON CONFLICT (successor_code, effective_date) DO NOTHING`,
          [d.successorCode, d.effectiveDate, JSON.stringify(d.predecessorCodes), d.comparisonRule],
        );
        this.mergeRows = null;
        return;
      }
      case 'UnitMergedInto':
      case 'UnitDissolved':
        await this.tx.query(`UPDATE ${S}.ranking_units SET ended_on = $2 WHERE unit_code = $1`, [event.data.code, event.data.effectiveDate]);
        return;
      default:
        return assertNever(event, 'unit event');
    }
  }

  private async writeUnits(): Promise<void> {
    if (this.registeredUnits.size === 0) return;
    const units = [...this.registeredUnits].map(([code, unit]) => ({ unit_code: code, name: unit.name, tier: unit.tier, parent_code: unit.parentCode }));
    this.registeredUnits.clear();
    await this.tx.query(
      `INSERT INTO ${S}.ranking_units (unit_code, name, tier, parent_code)
       SELECT x.unit_code, x.name, x.tier, x.parent_code FROM jsonb_to_recordset($1::text::jsonb) AS x(unit_code text, name text, tier text, parent_code text)
       ON CONFLICT (unit_code) DO UPDATE SET name = EXCLUDED.name, tier = EXCLUDED.tier, parent_code = EXCLUDED.parent_code`,
      [JSON.stringify(units)],
    );
  }

  /** Part scores of ranked assessments only: an assessment leaving the ranked statuses leaves the table. */
  private async refreshScores(): Promise<void> {
    await this.writeAssessments();
    const touched = [...this.touchedAssessments].flatMap((stream) => this.facts.get(stream) ?? []);
    this.touchedAssessments.clear();
    if (touched.length === 0) return;
    const removed = await this.tx.query<{ period_id: string; unit_code: string }>(
      `DELETE FROM ${S}.ranking_part_scores s USING jsonb_to_recordset($1::text::jsonb) AS x(period_id text, unit_code text)
       WHERE s.period_id = x.period_id AND s.unit_code = x.unit_code RETURNING s.period_id, s.unit_code`,
      [JSON.stringify(touched.map((facts) => ({ period_id: facts.periodId, unit_code: facts.unitCode })))],
    );
    const hadScores = new Set(removed.rows.map((row) => `${row.period_id}\u0000${row.unit_code}`));
    const scores: unknown[] = [];
    for (const facts of touched) {
      if (!RANKED_STATUSES.includes(facts.status)) {
        if (hadScores.has(`${facts.periodId}\u0000${facts.unitCode}`)) this.touchedPeriods.add(facts.periodId);
        continue;
      }
      this.touchedPeriods.add(facts.periodId);
      for (const part of await this.partScores(facts)) {
        scores.push({ period_id: facts.periodId, unit_code: facts.unitCode, tier: facts.tier, part_code: part.partCode, score: part.score, level: part.level });
      }
    }
    if (scores.length === 0) return;
    await this.tx.query(
      `INSERT INTO ${S}.ranking_part_scores (period_id, unit_code, tier, part_code, score, level)
       SELECT x.period_id, x.unit_code, x.tier, x.part_code, x.score, x.level
       FROM jsonb_to_recordset($1::text::jsonb) AS x(period_id text, unit_code text, tier text, part_code text, score double precision, level text)`,
      [JSON.stringify(scores)],
    );
  }

  /** The recorded scores of the last recalculation while they hold, else the answers scored under the version the assessment is on. */
  private async partScores(facts: AssessmentFacts): Promise<{ partCode: string; score: number; level: string | null }[]> {
    if (facts.recalculatedParts) return facts.recalculatedParts.map((part) => ({ partCode: part.partCode, score: part.newTotal, level: part.newLevel }));
    if (facts.answers === UNREAD_ANSWERS) throw new Error(`the answers of ${facts.periodId}/${facts.unitCode} were not read, yet its parts are scored from them`);
    const framework = await this.frameworks.load(facts.framework.id, facts.framework.version);
    if (!framework) return [];
    // Answers to criteria an amendment removed stay in the stream; they no longer score.
    const known = criterionCodes(framework);
    const answers = new Map(Object.entries(facts.answers).filter(([code]) => known.has(code)));
    return scoreTierParts(framework, facts.tier, answers);
  }

  /**
   * The scores a period's latest official edition printed (its publication, or the last correction),
   * every unit of it, ranked or not; none before it is published. Year N + 1 compares against these
   * (R-PREVIOUS-OFFICIAL): an appeal revised in year N changes year N + 1's changes only once a
   * correction decision of year N makes it official.
   */
  private async officialScoresOf(periodId: string): Promise<Pick<ScoreRow, 'unit_code' | 'tier' | 'part_code' | 'score'>[]> {
    const { rows } = await this.tx.query<Pick<ScoreRow, 'unit_code' | 'tier' | 'part_code' | 'score'>>(
      `SELECT r.unit_code, r.tier, r.part_code, r.score FROM ${S}.ranking_rows r JOIN ${S}.ranking_periods p ON p.period_id = r.period_id AND r.edition = p.decisions
       WHERE r.period_id = $1 AND p.decisions > 0`,
      [periodId],
    );
    return rows;
  }

  /** The decision of a period's latest official edition, which the next year's changes are taken against. */
  private async officialDecisionOf(periodId: string): Promise<{ periodId: string; decision: { number: string; date: string }; imported?: true } | null> {
    const { rows } = await this.tx.query<{ decision_number: string; decision_date: string; imported: boolean }>(
      `SELECT t.decision_number, t.decision_date, p.imported FROM ${S}.ranking_tables t JOIN ${S}.ranking_periods p ON p.period_id = t.period_id AND t.edition = p.decisions
       WHERE t.period_id = $1 AND p.decisions > 0 AND t.decision_number IS NOT NULL LIMIT 1`,
      [periodId],
    );
    const row = rows[0];
    // imported: the previous year was never assessed here, its scores are the decision's as imported.
    if (!row) return null;
    return { periodId, decision: { number: row.decision_number, date: row.decision_date }, ...(row.imported === true ? { imported: true } : {}) };
  }

  private async scoresOf(periodId: string): Promise<ScoreRow[]> {
    const { rows } = await this.tx.query<ScoreRow>(
      `SELECT s.unit_code, COALESCE(u.name, s.unit_code) AS unit_name, s.tier, s.part_code, s.score, s.level
       FROM ${S}.ranking_part_scores s LEFT JOIN ${S}.ranking_units u ON u.unit_code = s.unit_code
       WHERE s.period_id = $1`,
      [periodId],
    );
    return rows;
  }

  /** Merges that took effect after the previous period's year and by this period's, compared by their rule. */
  private async mergesBetween(previousYear: number, year: number): Promise<UnitMerge[]> {
    // Read once per batch (every ranked period needs them), again only after a merge is recorded.
    this.mergeRows ??= this.tx
      .query<MergeRow>(`SELECT successor_code, effective_date, predecessor_codes, comparison_rule FROM ${S}.ranking_merges ORDER BY effective_date`)
      .then((result) => result.rows);
    const rows = await this.mergeRows;
    return mergesInEffect(
      rows.map((row) => ({ successor: row.successor_code, predecessors: row.predecessor_codes, rule: row.comparison_rule, effectiveDate: row.effective_date })),
      previousYear,
      year,
    );
  }

  private async rank(periodId: string, edition: number, decision: { number: string; date: string } | null): Promise<void> {
    const period = (await this.tx.query<PeriodRow & { imported: boolean }>(`SELECT * FROM ${S}.ranking_periods WHERE period_id = $1`, [periodId])).rows[0];
    // An imported year is the decision's rows as written: there is nothing of it to rank here.
    if (!period || period.imported) return;
    const framework = await this.frameworks.load(period.framework_id, Number(period.framework_version));
    if (!framework) return;
    const year = Number(period.year);
    const previousPeriod = (
      // A year published from assessments run here, else one imported from its decision, else one still running.
      await this.tx.query<{ period_id: string }>(
        `SELECT period_id FROM ${S}.ranking_periods WHERE province_code = $1 AND year = $2 ORDER BY (decisions > 0 AND NOT imported) DESC, imported DESC, period_id LIMIT 1`,
        [period.province_code, year - 1],
      )
    ).rows[0];
    const current = await this.scoresOf(periodId);
    const previous = previousPeriod ? await this.officialScoresOf(previousPeriod.period_id) : [];
    const comparedWith = previousPeriod ? await this.officialDecisionOf(previousPeriod.period_id) : null;
    const merges = await this.mergesBetween(year - 1, year);

    const tables: unknown[] = [];
    const rows: unknown[] = [];
    for (const tier of framework.tiers) {
      for (const part of tier.parts) {
        const same = (row: Pick<ScoreRow, 'tier' | 'part_code'>) => row.tier === tier.tier && row.part_code === part.code;
        const ranking = rankUnits({
          tier: tier.tier,
          partCode: part.code,
          units: current.filter(same).map((row) => ({ unitCode: row.unit_code, unitName: row.unit_name, score: Number(row.score), level: row.level })),
          previousScores: new Map(previous.filter(same).map((row) => [row.unit_code, Number(row.score)])),
          merges,
          rounding: framework.rounding,
        });
        tables.push({ tier: tier.tier, part_code: part.code, counts: ranking.counts });
        const base = { tier: tier.tier, part_code: part.code };
        ranking.ranked.forEach((r, i) =>
          rows.push({ ...base, position: i, rank: r.rank, unit_code: r.unitCode, unit_name: r.unitName, score: r.score, level: r.level, previous_score: r.previousScore, previous_source: r.previousScoreSource, change: r.change }),
        );
        ranking.unranked.forEach((r, i) =>
          rows.push({ ...base, position: ranking.ranked.length + i, rank: null, unit_code: r.unitCode, unit_name: r.unitName, score: r.score, level: null, previous_score: r.previousScore, previous_source: r.previousScoreSource, change: r.change }),
        );
      }
    }
    await this.tx.query(`DELETE FROM ${S}.ranking_tables WHERE period_id = $1 AND edition = $2`, [periodId, edition]);
    await this.tx.query(
      `INSERT INTO ${S}.ranking_tables (period_id, edition, tier, part_code, decision_number, decision_date, counts, compared_with)
       SELECT $1, $2, x.tier, x.part_code, $3, $4, x.counts, $6::text::jsonb FROM jsonb_to_recordset($5::text::jsonb) AS x(tier text, part_code text, counts jsonb)`,
      [periodId, edition, decision?.number ?? null, decision?.date ?? null, JSON.stringify(tables), comparedWith && JSON.stringify(comparedWith)],
    );
    // Rows are upserted by position and written only where something changed (a recalculation run
    // re-ranks a period several times; rewriting all rows leaves dead rows). The DELETE removes only
    // positions the ranking no longer has, so the two parts touch disjoint rows.
    await this.tx.query(
      `WITH fresh AS (
         SELECT x.tier, x.part_code, x.position, x.rank, x.unit_code, x.unit_name, x.score, x.level, x.previous_score, x.previous_source, x.change
         FROM jsonb_to_recordset($3::text::jsonb) AS x(tier text, part_code text, position integer, rank integer, unit_code text, unit_name text,
           score double precision, level text, previous_score double precision, previous_source text, change double precision)
       ), gone AS (
         DELETE FROM ${S}.ranking_rows r WHERE r.period_id = $1 AND r.edition = $2
           AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.tier = r.tier AND f.part_code = r.part_code AND f.position = r.position)
       )
       INSERT INTO ${S}.ranking_rows AS r (period_id, edition, tier, part_code, position, rank, unit_code, unit_name, score, level, previous_score, previous_source, change)
       SELECT $1, $2, f.tier, f.part_code, f.position, f.rank, f.unit_code, f.unit_name, f.score, f.level, f.previous_score, f.previous_source, f.change FROM fresh f
       ON CONFLICT (period_id, edition, tier, part_code, position) DO UPDATE SET
         rank = EXCLUDED.rank, unit_code = EXCLUDED.unit_code, unit_name = EXCLUDED.unit_name, score = EXCLUDED.score, level = EXCLUDED.level,
         previous_score = EXCLUDED.previous_score, previous_source = EXCLUDED.previous_source, change = EXCLUDED.change
       WHERE (r.rank, r.unit_code, r.unit_name, r.score, r.level, r.previous_score, r.previous_source, r.change)
         IS DISTINCT FROM (EXCLUDED.rank, EXCLUDED.unit_code, EXCLUDED.unit_name, EXCLUDED.score, EXCLUDED.level, EXCLUDED.previous_score, EXCLUDED.previous_source, EXCLUDED.change)`,
      [periodId, edition, JSON.stringify(rows)],
    );
    // Delivered on commit, so no reader drops its copy before the new edition is visible.
    if (edition !== WORKING_EDITION) await this.tx.query('SELECT pg_notify($1, $2)', [RANKING_EDITIONS_CHANNEL, periodId]);
  }
}

/**
 * What rank() reads of a period's framework: its tiers and parts, in order, and its rounding. The
 * rounding is listed field by field, so the comparison never depends on the order of an object's keys.
 */
function rankingShapeOf(framework: FrameworkDefinition): string {
  const { decimals, mode } = framework.rounding;
  return JSON.stringify([decimals, mode, framework.tiers.map((tier) => [tier.tier, tier.parts.map((part) => part.code)])]);
}

/** Folds unit, period and assessment events into rankings per period × tier × part. */
export function rankingsHandler(frameworks: FrameworkVersions): ProjectionHandler {
  return async (events, tx, position) => {
    const batch = new RankingsBatch(tx, frameworks, position?.catchingUp === true);
    await batch.load(events);
    for (const event of events) await batch.apply(event);
    await batch.finish();
  };
}
