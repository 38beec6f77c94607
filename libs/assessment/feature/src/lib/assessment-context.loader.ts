import { Injectable } from '@nestjs/common';
import type { AssessmentActor, AssessmentContext, AssessmentRole } from '@tieuchi/assessment/domain';
import type { FrameworkDefinition } from '@tieuchi/framework/domain';
import { loadFrameworkVersion } from '@tieuchi/framework/data-access';
import { appealWindowEndsAt, evolvePeriod, periodWindow, initialPeriodState, type PeriodEvent, type PeriodState } from '@tieuchi/period/domain';
import { loadPeriodProvince, periodStreamName } from '@tieuchi/period/data-access';
import { coversProvince, isProvinceRole, type Principal } from '@tieuchi/shared/auth';
import { CommandExecutor } from '@tieuchi/shared/application';
import { DomainError } from '@tieuchi/shared/kernel';
import { evolveUnit, initialUnitState, provinceOfUnit, type UnitEvent, type UnitState } from '@tieuchi/unit/domain';
import { unitStreamName } from '@tieuchi/unit/data-access';

const roleMap: Readonly<Record<Principal['roles'][number], AssessmentRole | null>> = {
  unit_editor: 'unit_editor',
  unit_lead: 'unit_lead',
  reviewer: 'reviewer',
  approver: 'approver',
  admin: 'administrator',
  auditor: null,
};

/**
 * The actor for a command in a period of `provinceCode`: reviewer, approver and admin roles count
 * only in the province the account holds them for (every province with `national`); unit roles
 * follow the unit, whose own checks stay in the domain.
 */
export function assessmentActorOf(principal: Principal, provinceCode: string): AssessmentActor {
  const inJurisdiction = coversProvince(principal, provinceCode);
  return {
    id: principal.id,
    roles: principal.roles
      .filter((role) => inJurisdiction || !isProvinceRole(role))
      .map((role) => roleMap[role])
      .filter((role): role is AssessmentRole => role !== null),
    unitCodes: principal.unitCode ? [principal.unitCode] : [],
  };
}

/**
 * Loads what an assessment command needs besides its own stream: the period (for the pinned
 * framework version and the appeal window) and that framework version. Published framework
 * versions never change, so they are cached. The period is read on every command (its state
 * guards the command), but only the events after the state already folded.
 */
@Injectable()
export class AssessmentContextLoader {
  private readonly frameworks = new Map<string, FrameworkDefinition>();

  constructor(private readonly executor: CommandExecutor) {}

  async loadPeriod(periodId: string): Promise<PeriodState> {
    const { state } = await this.executor.loadState<PeriodState, PeriodEvent>(periodStreamName(periodId), initialPeriodState, evolvePeriod);
    if (state.status === 'not_opened') {
      throw new DomainError('PERIOD.NOT_FOUND', 'not_found', `There is no period "${periodId}".`, 'periodId');
    }
    return state;
  }

  /** The province a period belongs to, or null when there is no such period. */
  async periodProvince(periodId: string): Promise<string | null> {
    return loadPeriodProvince(this.executor, periodId);
  }

  async loadFramework(frameworkId: string, version: number): Promise<FrameworkDefinition> {
    const key = `${frameworkId}@${version}`;
    const cached = this.frameworks.get(key);
    if (cached) return cached;
    const found = await loadFrameworkVersion(this.executor, frameworkId, version);
    if (!found) throw new DomainError('FRAMEWORK.NOT_FOUND', 'not_found', `Framework ${frameworkId} has no published version ${version}.`);
    this.frameworks.set(key, found);
    return found;
  }

  /** The tier the unit is assessed in (district, commune …), from the unit registry. */
  async unitTier(unitCode: string): Promise<string> {
    const state = await this.unit(unitCode);
    if (state.status !== 'active') {
      throw new DomainError('UNIT.NOT_FOUND', 'not_found', `There is no active unit with code ${unitCode}.`, 'unitCode');
    }
    return state.tier;
  }

  /**
   * Only the period's own province's units are assessed in it: starting an assessment of a unit
   * whose parent chain ends in another province (or in none) is refused, 409
   * ASSESSMENT.UNIT_OUTSIDE_PROVINCE, whoever asks.
   */
  async requireUnitOfPeriodProvince(unitCode: string, period: { readonly provinceCode: string } | null): Promise<void> {
    if (period === null) return;
    const provinceCode = await provinceOfUnit(unitCode, (code) => this.unit(code));
    if (provinceCode !== period.provinceCode) {
      const where = provinceCode === null ? 'no registered province' : `province ${provinceCode}`;
      throw new DomainError('ASSESSMENT.UNIT_OUTSIDE_PROVINCE', 'conflict', `Unit ${unitCode} belongs to ${where}; this period assesses the units of province ${period.provinceCode}.`, 'unitCode', {
        unitProvinceCode: provinceCode,
        periodProvinceCode: period.provinceCode,
      });
    }
  }

  /** The unit's official name, as documents print it; a merged or dissolved unit keeps its own. */
  async unitName(unitCode: string): Promise<string> {
    const state = await this.unit(unitCode);
    if (state.status === 'unregistered') throw new DomainError('UNIT.NOT_FOUND', 'not_found', `There is no unit with code ${unitCode}.`, 'unitCode');
    return state.name;
  }

  private async unit(unitCode: string): Promise<UnitState> {
    return (await this.executor.loadState<UnitState, UnitEvent>(unitStreamName(unitCode), initialUnitState, evolveUnit)).state;
  }

  async contextFor(periodId: string, principal: Principal): Promise<AssessmentContext> {
    const period = await this.loadPeriod(periodId);
    if (period.status === 'not_opened') throw new DomainError('PERIOD.NOT_FOUND', 'not_found', `There is no period "${periodId}".`, 'periodId');
    const framework = await this.loadFramework(period.framework.id, period.framework.version);
    return { actor: assessmentActorOf(principal, period.provinceCode), framework, appealWindowEndsAt: appealWindowEndsAt(period), period: periodWindow(period) };
  }
}
