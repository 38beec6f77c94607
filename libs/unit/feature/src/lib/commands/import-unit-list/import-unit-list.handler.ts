import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@tieuchi/shared/application';
import { assertCoversProvince } from '@tieuchi/shared/auth';
import { DomainError } from '@tieuchi/shared/kernel';
import { withRequestFields } from '../../request-field';
import { unitProvince } from '../../unit-jurisdiction';
import { executeUnitCommand, loadUnit } from '../../unit-streams';
import { ImportUnitListCommand, type ImportUnitListResultDto } from './import-unit-list.command';
import { planUnitListImport, UnitListFileError, unitListRowsFromTable } from './unit-list-import';

/**
 * All or nothing at validation: every row is checked against the file and the registered units
 * before anything is written, and one bad row refuses the file. Writing is then one append per
 * unit, parents first (ARCHITECTURE.md §2.1.7): a crash part-way leaves the units before it
 * registered, and sending the same file again registers the rest, the others counting as unchanged.
 */
@CommandHandler(ImportUnitListCommand)
export class ImportUnitListHandler implements ICommandHandler<ImportUnitListCommand, ImportUnitListResultDto> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ table, request }: ImportUnitListCommand): Promise<ImportUnitListResultDto> {
    let parsed: ReturnType<typeof unitListRowsFromTable>;
    try {
      parsed = unitListRowsFromTable(table);
    } catch (error) {
      if (error instanceof UnitListFileError) throw new DomainError('UNIT.IMPORT_FILE', 'validation', error.message, 'body');
      throw error;
    }
    const plan = await planUnitListImport(
      parsed.rows,
      parsed.columns,
      async (code) => (await loadUnit(this.executor, code)).state,
      (code) => unitProvince(this.executor, code),
    );
    // Jurisdiction before the rows are judged: another province's admin learns nothing of its units.
    if (request.principal) for (const province of plan.provinces) assertCoversProvince(request.principal, province);
    const problems = [...parsed.problems, ...plan.problems].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    if (problems.length > 0) {
      throw new DomainError('UNIT.IMPORT_INVALID_ROWS', 'validation', `${problems.length} lỗi trong danh sách đơn vị; chưa đơn vị nào được đăng ký`, 'body', { errors: problems });
    }
    const { ifMatch: _ifMatch, ...context } = request;
    let position: string | null = null;
    for (const unit of plan.registrations) {
      const { row: _row, ...data } = unit;
      const outcome = await withRequestFields(() => executeUnitCommand(this.executor, unit.code, { type: 'RegisterUnit', data }, context));
      position = outcome.checkpoint ?? position;
    }
    return { total: parsed.rows.length, registered: plan.registrations.length, unchanged: plan.unchanged.length, registeredCodes: plan.registrations.map((unit) => unit.code), position };
  }
}
