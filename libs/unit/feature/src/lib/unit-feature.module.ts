import { Module } from '@nestjs/common';
import { ChangeUnitTypeController } from './commands/change-unit-type/change-unit-type.controller';
import { DissolveUnitController } from './commands/dissolve-unit/dissolve-unit.controller';
import { ImportUnitsController } from './commands/import-units/import-units.controller';
import { ImportUnitsHandler } from './commands/import-units/import-units.handler';
import { MergeUnitsController } from './commands/merge-units/merge-units.controller';
import { MergeUnitsHandler } from './commands/merge-units/merge-units.handler';
import { RegisterUnitController } from './commands/register-unit/register-unit.controller';
import { RenameUnitController } from './commands/rename-unit/rename-unit.controller';
import { ExecuteUnitCommandHandler } from './execute-unit-command.handler';
import { GetUnitController } from './queries/get-unit/get-unit.controller';
import { GetUnitHandler } from './queries/get-unit/get-unit.query';

/** The unit registry (đơn vị hành chính): register, rename, change type, merge, dissolve, import. */
@Module({
  // Static routes (merges, import) are registered before the ones with a :code parameter.
  controllers: [
    MergeUnitsController,
    ImportUnitsController,
    RegisterUnitController,
    RenameUnitController,
    ChangeUnitTypeController,
    DissolveUnitController,
    GetUnitController,
  ],
  providers: [ExecuteUnitCommandHandler, MergeUnitsHandler, ImportUnitsHandler, GetUnitHandler],
})
export class UnitFeatureModule {}
