import type { AssessmentEvent, PartRecalculation } from '@tieuchi/assessment/domain';
import { type FrameworkVersions, READ_MODEL_SCHEMA as S, scoreTierParts } from '@tieuchi/assessment/feature';
import { type CriterionAnswer, listCriteria } from '@tieuchi/framework/domain';
import type { PeriodEvent } from '@tieuchi/period/domain';
import { type MergeRule, rankUnits, type UnitMerge } from '@tieuchi/ranking/domain';
import { WORKING_EDITION } from '@tieuchi/ranking/data-access';
import type { ProjectionHandler, RecordedEvent, SqlExecutor } from '@tieuchi/shared/event-store';
import { assertNever } from '@tieuchi/shared/kernel';
import type { UnitEvent } from '@tieuchi/unit/domain';

/** Rankings are computed from approved and published scores only (ARCHITECTURE.md §3). */
const RANKED_STATUSES: readonly string[] = ['approved', 'published', 'appealed', 'upheld', 'revised'];

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

interface AssessmentRow {
  period_id: string;
  unit_code: string;
  tier: string;
  status: string;
  framework_id: string;
  framework_version: number;
  answers: Record<string, CriterionAnswer>;
  recalculated: { frameworkId: string; frameworkVersion: number; parts: PartRecalculation[] } | null;
}

/**
 * One batch of the rankings projection. Part scores are refreshed once per touched assessment,
 * and a period is re-ranked once per batch, with a few set-based statements whatever its size
 * (about 700 units × 2 parts for the largest province). A publication or correction freezes the
 * ranking as it stands at that event into a new edition.
 */
class RankingsBatch {
  private readonly touchedAssessments = new Set<string>();
  private readonly touchedPeriods = new Set<string>();

  constructor(
    private readonly tx: SqlExecutor,
    private readonly frameworks: FrameworkVersions,
  ) {}

  async apply(recorded: RecordedEvent): Promise<void> {
    if (recorded.streamName.startsWith('assessment-')) await this.applyAssessment(recorded);
    else if (recorded.streamName.startsWith('period-')) await this.applyPeriod({ type: recorded.type, data: recorded.data } as PeriodEvent);
    else if (recorded.streamName.startsWith('unit-')) await this.applyUnit({ type: recorded.type, data: recorded.data } as UnitEvent);
  }

  async finish(): Promise<void> {
    await this.refreshScores();
    const periods = new Set(this.touchedPeriods);
    for (const periodId of this.touchedPeriods) {
      // The next year's changes are measured against this period.
      const next = await this.tx.query<{ period_id: string }>(
        `SELECT n.period_id FROM ${S}.ranking_periods p JOIN ${S}.ranking_periods n ON n.province_code = p.province_code AND n.year = p.year + 1
         WHERE p.period_id = $1`,
        [periodId],
      );
      next.rows.forEach((row) => periods.add(row.period_id));
    }
    for (const periodId of periods) await this.rank(periodId, WORKING_EDITION, null);
  }

  /** An answer given after a recalculation is scored again under the version the assessment is on. */
  private async setAnswer(stream: string, code: string, answer: CriterionAnswer): Promise<void> {
    await this.tx.query(
      `UPDATE ${S}.ranking_assessments SET answers = answers || jsonb_build_object($2::text, $3::text::jsonb), recalculated = NULL WHERE stream_name = $1`,
      [
        stream,
        code,
        JSON.stringify(answer),
      ],
    );
  }

  /** After publication, a change of scores is a correction in waiting: only a correction decision makes it official. */
  private async markCorrectionPending(stream: string): Promise<void> {
    await this.tx.query(
      `UPDATE ${S}.ranking_periods SET correction_pending = true
       WHERE decisions > 0 AND period_id = (SELECT period_id FROM ${S}.ranking_assessments WHERE stream_name = $1)`,
      [stream],
    );
  }

  private async setStatus(stream: string, status: string): Promise<void> {
    await this.tx.query(`UPDATE ${S}.ranking_assessments SET status = $2 WHERE stream_name = $1`, [stream, status]);
  }

  private async applyAssessment(recorded: RecordedEvent): Promise<void> {
    const stream = recorded.streamName;
    const event = { type: recorded.type, data: recorded.data } as AssessmentEvent;
    this.touchedAssessments.add(stream);
    switch (event.type) {
      case 'AssessmentStarted': {
        const d = event.data;
        await this.tx.query(
          `INSERT INTO ${S}.ranking_assessments (stream_name, period_id, unit_code, tier, status, framework_id, framework_version)
           VALUES ($1, $2, $3, $4, 'draft', $5, $6) ON CONFLICT (stream_name) DO NOTHING`,
          [stream, d.periodId, d.unitCode, d.tier, d.frameworkId, d.frameworkVersion],
        );
        return;
      }
      case 'CriterionScored':
      case 'CriterionAccepted':
      case 'CriterionAdjusted':
        // The latest answer given to a criterion is its effective one: a new self score clears the review.
        return this.setAnswer(stream, event.data.criterionCode, event.data.answer);
      case 'AppealResolved':
        for (const a of event.data.adjustments) await this.setAnswer(stream, a.criterionCode, a.answer);
        if (event.data.adjustments.length > 0) await this.markCorrectionPending(stream);
        return this.setStatus(stream, event.data.outcome === 'upheld' ? 'upheld' : 'revised');
      case 'ScoresRecalculated': {
        // The recorded totals and levels are the fact that is ranked, not a re-derivation of them.
        const { cause, parts } = event.data;
        await this.tx.query(
          `UPDATE ${S}.ranking_assessments SET framework_id = $2, framework_version = $3, recalculated = $4::text::jsonb WHERE stream_name = $1`,
          [stream, cause.frameworkId, cause.frameworkVersion, JSON.stringify({ frameworkId: cause.frameworkId, frameworkVersion: cause.frameworkVersion, parts })],
        );
        await this.markCorrectionPending(stream);
        return;
      }
      case 'SubmissionWithdrawn':
        await this.tx.query(
          `UPDATE ${S}.ranking_assessments SET status = CASE WHEN status = 'resubmitted' THEN 'returned' ELSE 'draft' END WHERE stream_name = $1`,
          [stream],
        );
        return;
      case 'AssessmentSubmitted':
        return this.setStatus(stream, 'submitted');
      case 'ReviewStarted':
      case 'AssessmentSentBack':
        return this.setStatus(stream, 'under_review');
      case 'AssessmentReturned':
        return this.setStatus(stream, 'returned');
      case 'AssessmentResubmitted':
        return this.setStatus(stream, 'resubmitted');
      case 'ReviewCompleted':
        return this.setStatus(stream, 'reviewed');
      case 'AssessmentApproved':
        return this.setStatus(stream, 'approved');
      case 'AssessmentPublished':
        return this.setStatus(stream, 'published');
      case 'AssessmentAppealed':
        return this.setStatus(stream, 'appealed');
      default:
        return assertNever(event, 'assessment event');
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
      case 'FrameworkVersionPinned':
        // On a published period the pin announces a recalculation: the official edition stays as it is.
        await this.tx.query(
          `UPDATE ${S}.ranking_periods SET framework_id = $2, framework_version = $3, correction_pending = correction_pending OR decisions > 0 WHERE period_id = $1`,
          [event.data.periodId, event.data.frameworkId, event.data.version],
        );
        this.touchedPeriods.add(event.data.periodId);
        return;
      case 'SelfAssessmentClosed':
        return;
      case 'PeriodPublished':
      case 'PeriodCorrected': {
        const d = event.data;
        await this.refreshScores();
        const counted = await this.tx.query<{ decisions: number }>(
          `UPDATE ${S}.ranking_periods SET decisions = decisions + 1, correction_pending = false WHERE period_id = $1 RETURNING decisions`,
          [d.periodId],
        );
        const edition = counted.rows[0]?.decisions;
        if (edition !== undefined) await this.rank(d.periodId, Number(edition), { number: d.decisionNumber, date: d.decisionDate });
        return;
      }
      default:
        return assertNever(event, 'period event');
    }
  }

  private async applyUnit(event: UnitEvent): Promise<void> {
    switch (event.type) {
      case 'UnitRegistered':
        await this.upsertUnit(event.data.code, event.data.name, event.data.tier);
        return;
      case 'UnitRenamed':
        await this.tx.query(`UPDATE ${S}.ranking_units SET name = $2 WHERE unit_code = $1`, [event.data.code, event.data.name]);
        return;
      case 'UnitTypeChanged':
        await this.tx.query(`UPDATE ${S}.ranking_units SET tier = $2 WHERE unit_code = $1`, [event.data.code, event.data.tier]);
        return;
      case 'UnitsMerged': {
        const d = event.data;
        await this.upsertUnit(d.successorCode, d.name, d.tier);
        await this.tx.query(
          `INSERT INTO ${S}.ranking_merges (successor_code, effective_date, predecessor_codes, comparison_rule) VALUES ($1, $2, $3::text::jsonb, $4)
           ON CONFLICT (successor_code, effective_date) DO NOTHING`,
          [d.successorCode, d.effectiveDate, JSON.stringify(d.predecessorCodes), d.comparisonRule],
        );
        return;
      }
      case 'UnitMergedInto':
      case 'UnitDissolved':
        return;
      default:
        return assertNever(event, 'unit event');
    }
  }

  private async upsertUnit(code: string, name: string, tier: string): Promise<void> {
    await this.tx.query(
      `INSERT INTO ${S}.ranking_units (unit_code, name, tier) VALUES ($1, $2, $3) ON CONFLICT (unit_code) DO UPDATE SET name = EXCLUDED.name, tier = EXCLUDED.tier`,
      [code, name, tier],
    );
  }

  /** Part scores of ranked assessments only: an assessment leaving the ranked statuses leaves the table. */
  private async refreshScores(): Promise<void> {
    for (const stream of this.touchedAssessments) {
      const row = (await this.tx.query<AssessmentRow>(`SELECT * FROM ${S}.ranking_assessments WHERE stream_name = $1`, [stream])).rows[0];
      if (!row) continue;
      const removed = await this.tx.query(`DELETE FROM ${S}.ranking_part_scores WHERE period_id = $1 AND unit_code = $2`, [row.period_id, row.unit_code]);
      if (!RANKED_STATUSES.includes(row.status)) {
        if (removed.rowCount > 0) this.touchedPeriods.add(row.period_id);
        continue;
      }
      this.touchedPeriods.add(row.period_id);
      for (const part of await this.partScores(row)) {
        await this.tx.query(
          `INSERT INTO ${S}.ranking_part_scores (period_id, unit_code, tier, part_code, score, level) VALUES ($1, $2, $3, $4, $5, $6)`,
          [row.period_id, row.unit_code, row.tier, part.partCode, part.score, part.level],
        );
      }
    }
    this.touchedAssessments.clear();
  }

  private async partScores(row: AssessmentRow): Promise<{ partCode: string; score: number; level: string | null }[]> {
    const recalculated = typeof row.recalculated === 'string' ? (JSON.parse(row.recalculated) as AssessmentRow['recalculated']) : row.recalculated;
    if (recalculated && recalculated.frameworkId === row.framework_id && Number(recalculated.frameworkVersion) === Number(row.framework_version)) {
      return recalculated.parts.map((part) => ({ partCode: part.partCode, score: part.newTotal, level: part.newLevel }));
    }
    const framework = await this.frameworks.load(row.framework_id, Number(row.framework_version));
    if (!framework) return [];
    // Answers to criteria an amendment removed stay in the stream; they no longer score.
    const known = new Set(listCriteria(framework).map((location) => location.criterion.code));
    const answers = new Map(Object.entries(row.answers).filter(([code]) => known.has(code)));
    return scoreTierParts(framework, row.tier, answers);
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
    const { rows } = await this.tx.query<{ successor_code: string; effective_date: string; predecessor_codes: string[]; comparison_rule: MergeRule }>(
      `SELECT successor_code, effective_date, predecessor_codes, comparison_rule FROM ${S}.ranking_merges ORDER BY effective_date`,
    );
    const merges = new Map<string, UnitMerge>();
    for (const row of rows) {
      const effectiveYear = Number(row.effective_date.slice(0, 4));
      if (effectiveYear > previousYear && effectiveYear <= year) {
        merges.set(row.successor_code, { successor: row.successor_code, predecessors: row.predecessor_codes, rule: row.comparison_rule });
      }
    }
    return [...merges.values()];
  }

  private async rank(periodId: string, edition: number, decision: { number: string; date: string } | null): Promise<void> {
    const period = (await this.tx.query<PeriodRow>(`SELECT * FROM ${S}.ranking_periods WHERE period_id = $1`, [periodId])).rows[0];
    if (!period) return;
    const framework = await this.frameworks.load(period.framework_id, Number(period.framework_version));
    if (!framework) return;
    const year = Number(period.year);
    const previousPeriod = (
      await this.tx.query<{ period_id: string }>(`SELECT period_id FROM ${S}.ranking_periods WHERE province_code = $1 AND year = $2 ORDER BY period_id LIMIT 1`, [
        period.province_code,
        year - 1,
      ])
    ).rows[0];
    const current = await this.scoresOf(periodId);
    const previous = previousPeriod ? await this.scoresOf(previousPeriod.period_id) : [];
    const merges = await this.mergesBetween(year - 1, year);

    const tables: unknown[] = [];
    const rows: unknown[] = [];
    for (const tier of framework.tiers) {
      for (const part of tier.parts) {
        const same = (row: ScoreRow) => row.tier === tier.tier && row.part_code === part.code;
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
    await this.tx.query(`DELETE FROM ${S}.ranking_rows WHERE period_id = $1 AND edition = $2`, [periodId, edition]);
    await this.tx.query(`DELETE FROM ${S}.ranking_tables WHERE period_id = $1 AND edition = $2`, [periodId, edition]);
    await this.tx.query(
      `INSERT INTO ${S}.ranking_tables (period_id, edition, tier, part_code, decision_number, decision_date, counts)
       SELECT $1, $2, x.tier, x.part_code, $3, $4, x.counts FROM jsonb_to_recordset($5::text::jsonb) AS x(tier text, part_code text, counts jsonb)`,
      [periodId, edition, decision?.number ?? null, decision?.date ?? null, JSON.stringify(tables)],
    );
    await this.tx.query(
      `INSERT INTO ${S}.ranking_rows (period_id, edition, tier, part_code, position, rank, unit_code, unit_name, score, level, previous_score, previous_source, change)
       SELECT $1, $2, x.tier, x.part_code, x.position, x.rank, x.unit_code, x.unit_name, x.score, x.level, x.previous_score, x.previous_source, x.change
       FROM jsonb_to_recordset($3::text::jsonb) AS x(tier text, part_code text, position integer, rank integer, unit_code text, unit_name text,
         score double precision, level text, previous_score double precision, previous_source text, change double precision)`,
      [periodId, edition, JSON.stringify(rows)],
    );
  }
}

/** Folds unit, period and assessment events into rankings per period × tier × part. */
export function rankingsHandler(frameworks: FrameworkVersions): ProjectionHandler {
  return async (events, tx) => {
    const batch = new RankingsBatch(tx, frameworks);
    for (const event of events) await batch.apply(event);
    await batch.finish();
  };
}
