import { Inject, Injectable } from '@nestjs/common';
import type { RunProgress } from '@tieuchi/recalculation/data-access';
import { READ_MODEL_DB, READ_MODEL_SCHEMA } from '@tieuchi/shared/application';
import type { SqlClient } from '@tieuchi/shared/event-store';
import { unitNamesByCode } from '@tieuchi/unit/data-access';
import type { RunProgressDto } from './list-recalculation-runs/list-recalculation-runs.controller';

/** Names the unit of every failed job from the units read model, so an administrator reads which unit failed, not a stream name. */
@Injectable()
export class RunFailureUnits {
  constructor(@Inject(READ_MODEL_DB) private readonly database: SqlClient) {}

  async named(runs: readonly RunProgress[]): Promise<RunProgressDto[]> {
    const names = await unitNamesByCode(this.database, READ_MODEL_SCHEMA, runs.flatMap((run) => run.failures.flatMap((failure) => failure.unitCode ?? [])));
    return runs.map((run) => ({
      ...run,
      failures: run.failures.map((failure) => ({ ...failure, unitName: failure.unitCode === null ? null : (names.get(failure.unitCode) ?? null) })),
    }));
  }
}
