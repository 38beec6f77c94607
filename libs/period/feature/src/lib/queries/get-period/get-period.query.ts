import { Injectable } from '@nestjs/common';
import { evolvePeriod, initialPeriodState, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { periodStreamName } from '@tieuchi/period/data-access';
import { CommandExecutor } from '@tieuchi/shared/application';
import { DomainError } from '@tieuchi/shared/kernel';
import { evolveUnit, initialUnitState, provinceOfUnit, type UnitEvent, type UnitState } from '@tieuchi/unit/domain';
import { unitStreamName } from '@tieuchi/unit/data-access';

/** The period's state as its stream tells it, plus `version` (the stream's version, the ETag). */
export type PeriodView = Exclude<PeriodState, { status: 'not_opened' }> & { readonly version: number };

// One short stream per period: folded on read, no projection needed.
@Injectable()
export class GetPeriodQuery {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(periodId: string): Promise<PeriodView> {
    const { state, version } = await this.executor.load<PeriodState, PeriodEvent>(periodStreamName(periodId), initialPeriodState, evolvePeriod);
    if (state.status === 'not_opened') throw new DomainError('PERIOD.NOT_FOUND', 'not_found', `There is no period "${periodId}".`, 'periodId');
    return { ...state, version };
  }

  /** The province a unit's parent chain ends in (null for an unregistered unit): the periods its users may read before publication. */
  unitProvince(unitCode: string): Promise<string | null> {
    return provinceOfUnit(unitCode, async (code) => (await this.executor.loadState<UnitState, UnitEvent>(unitStreamName(code), initialUnitState, evolveUnit)).state);
  }
}
