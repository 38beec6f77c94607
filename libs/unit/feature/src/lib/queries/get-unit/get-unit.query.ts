import { Injectable } from '@nestjs/common';
import { CommandExecutor } from '@tieuchi/shared/application';
import { DomainError } from '@tieuchi/shared/kernel';
import type { UnitChangeRecord, UnitMergeRecord } from '@tieuchi/unit/domain';
import { loadUnit } from '../../unit-streams';

/** A unit as its stream tells it; `version` is the stream's version (the ETag). */
export interface UnitView {
  readonly code: string;
  readonly status: 'active' | 'merged_into' | 'dissolved';
  readonly version: number;
  readonly name: string;
  readonly type: string;
  readonly tier: string;
  readonly parentCode: string | null;
  readonly successorCode: string | null;
  readonly endedOn: string | null;
  readonly history: readonly UnitChangeRecord[];
  readonly merges: readonly UnitMergeRecord[];
}

// Units are one short stream each: folded on read, no projection needed.
@Injectable()
export class GetUnitQuery {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(code: string): Promise<UnitView> {
    const { state, version } = await loadUnit(this.executor, code);
    if (state.status === 'unregistered') throw new DomainError('UNIT.NOT_FOUND', 'not_found', `unit ${code} is not registered`, 'code');
    return {
      code: state.code,
      status: state.status,
      version,
      name: state.name,
      type: state.type,
      tier: state.tier,
      parentCode: state.parentCode,
      successorCode: state.status === 'merged_into' ? state.successorCode : null,
      endedOn: state.status === 'active' ? null : state.endedOn,
      history: state.history,
      merges: state.merges,
    };
  }
}
