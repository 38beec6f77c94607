import { Injectable } from '@nestjs/common';
import { CommandExecutor } from '@tieuchi/shared/application';
import { DomainError } from '@tieuchi/shared/kernel';
import { evolveUnit, initialUnitState, unitStreamId } from '@tieuchi/unit/domain';

/**
 * The province a unit belongs to, read from the unit registry (its parent chain up to the unit
 * with no parent): a unit grant records it, so that an admin's province bounds what they grant.
 */
@Injectable()
export class UnitProvinces {
  constructor(private readonly executor: CommandExecutor) {}

  async provinceOf(unitCode: string, field: string): Promise<string> {
    let code = unitCode;
    for (let depth = 0; depth < 6; depth += 1) {
      const { state } = await this.executor.loadState(unitStreamId(code), initialUnitState, evolveUnit);
      if (state.status === 'unregistered') {
        throw new DomainError('ACCOUNT.UNKNOWN_UNIT', 'validation', `Đơn vị ${code} chưa được đăng ký (unknown unit).`, field);
      }
      if (state.parentCode === null) return state.code;
      code = state.parentCode;
    }
    throw new DomainError('ACCOUNT.UNKNOWN_UNIT', 'validation', `Đơn vị ${unitCode} has no province within six levels.`, field);
  }
}
