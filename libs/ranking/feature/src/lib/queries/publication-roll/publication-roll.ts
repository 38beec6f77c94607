import { Inject, Injectable, Module } from '@nestjs/common';
import { type AssessmentEvent, type AssessmentStatus, RANKED_STATUSES, statusAfter } from '@tieuchi/assessment/domain';
import { assessmentStreamName } from '@tieuchi/assessment/data-access';
import { PUBLICATION_ROLL, type PublicationRoll } from '@tieuchi/period/data-access';
import type { UnitWithoutApproval } from '@tieuchi/period/domain';
import { CommandExecutor, READ_MODEL_DB, READ_MODEL_SCHEMA as S } from '@tieuchi/shared/application';
import type { SqlClient } from '@tieuchi/shared/event-store';

interface MemberRow {
  unit_code: string;
  name: string;
  tier: string;
}

const noStatus = (): AssessmentStatus | null => null;
const foldStatus = (status: AssessmentStatus | null, event: AssessmentEvent): AssessmentStatus | null => statusAfter(event, status);
const streamsAtOnce = 8;

/**
 * The units of a province: every unit whose parent chain in the unit registry (as the rankings
 * read model keeps it) reaches the province, in the given tiers, that existed in the year. This is
 * the one place that answers it for publication.
 */
export async function unitsOfProvince(database: SqlClient, provinceCode: string, tiers: readonly string[], year: number): Promise<MemberRow[]> {
  const { rows } = await database.query<MemberRow>(
    `WITH RECURSIVE members (unit_code) AS (
       SELECT unit_code FROM ${S}.ranking_units WHERE parent_code = $1
       UNION SELECT u.unit_code FROM ${S}.ranking_units u JOIN members m ON u.parent_code = m.unit_code
     )
     SELECT u.unit_code, u.name, u.tier FROM members m JOIN ${S}.ranking_units u ON u.unit_code = m.unit_code
     WHERE u.tier IN (SELECT jsonb_array_elements_text($2::text::jsonb))
       AND (u.ended_on IS NULL OR u.ended_on > $3) AND (u.began_on IS NULL OR u.began_on <= $4)
     ORDER BY length(u.unit_code), u.unit_code`,
    [provinceCode, JSON.stringify(tiers), `${year}-01-01`, `${year}-12-31`],
  );
  return rows;
}

/**
 * The units a publication must account for. The units come from the read model (registrations
 * precede a period by months); each assessment's status is folded from its own stream at the
 * moment of the decision, so an approval a projection has not yet seen is not missed.
 */
@Injectable()
export class PublicationRollFromRegistry implements PublicationRoll {
  constructor(
    @Inject(READ_MODEL_DB) private readonly database: SqlClient,
    private readonly executor: CommandExecutor,
  ) {}

  async unitsWithoutApproval(period: { periodId: string; provinceCode: string; year: number; tiers: readonly string[] }): Promise<readonly UnitWithoutApproval[]> {
    const members = await unitsOfProvince(this.database, period.provinceCode, period.tiers, period.year);
    const statuses: (AssessmentStatus | null)[] = [];
    for (let from = 0; from < members.length; from += streamsAtOnce) {
      const slice = members.slice(from, from + streamsAtOnce);
      const folded = await Promise.all(
        slice.map(async (unit) => (await this.executor.loadState(assessmentStreamName(period.periodId, unit.unit_code), noStatus, foldStatus)).state),
      );
      statuses.push(...folded);
    }
    return members.flatMap((unit, index) => {
      const status = statuses[index] ?? null;
      if (status !== null && RANKED_STATUSES.includes(status)) return [];
      return [{ unitCode: unit.unit_code, unitName: unit.name, tier: unit.tier, status: status ?? 'not_started' }];
    });
  }
}

/** Binds the period context's PUBLICATION_ROLL to the unit registry and the assessment streams. */
@Module({
  providers: [{ provide: PUBLICATION_ROLL, useClass: PublicationRollFromRegistry }],
  exports: [PUBLICATION_ROLL],
})
export class PublicationRollModule {}
