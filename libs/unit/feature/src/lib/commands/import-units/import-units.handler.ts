import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@tieuchi/shared/application';
import { assertCoversProvince } from '@tieuchi/shared/auth';
import { readDaknongUnitConfig, registerUnitCommands, type UnitListRow } from '@tieuchi/unit/domain';
import { join } from 'node:path';
import { withRequestFields } from '../../request-field';
import { executeUnitCommand, loadUnit } from '../../unit-streams';
import { ImportUnitsCommand, type ImportUnitsResult } from './import-units.command';

// The workspace's config/units, resolved the way the framework library finds config/frameworks.
const UNITS_DIRECTORY = join(__dirname, '..', '..', '..', '..', '..', '..', '..', 'config', 'units');

/**
 * One append per unit, each its own short transaction (ARCHITECTURE.md §2.1.7). Idempotent: a
 * registered unit is skipped, so a retry after a partial import finishes it.
 */
@CommandHandler(ImportUnitsCommand)
export class ImportUnitsHandler implements ICommandHandler<ImportUnitsCommand, ImportUnitsResult> {
  private rows: readonly UnitListRow[] | undefined;

  constructor(private readonly executor: CommandExecutor) {}

  async execute({ list, request }: ImportUnitsCommand): Promise<ImportUnitsResult> {
    this.rows ??= readDaknongUnitConfig(UNITS_DIRECTORY).units2019;
    // The list is one province's units (its first row is the province itself).
    if (request.principal) assertCoversProvince(request.principal, this.rows.find((row) => row.parentCode === null)?.code ?? null);
    const { ifMatch: _ifMatch, ...context } = request;
    // Metadata is stamped by the executor; the list's commands are only used for their data.
    const commands = registerUnitCommands(this.rows, { actor: request.actor, correlationId: request.correlationId, causationId: list, occurredAt: '' });
    let registered = 0;
    for (const command of commands) {
      const { state } = await loadUnit(this.executor, command.data.code);
      if (state.status !== 'unregistered') continue;
      await withRequestFields(() => executeUnitCommand(this.executor, command.data.code, { type: command.type, data: command.data }, context));
      registered += 1;
    }
    return { list, total: commands.length, registered, skipped: commands.length - registered };
  }
}
