import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { ProjectionHostOptions } from '@tieuchi/shared/application';
import { SPREADSHEET_TYPES } from '@tieuchi/shared/documents';
import { raw } from 'express';
import { ChangeUnitTypeController } from './commands/change-unit-type/change-unit-type.controller';
import { DissolveUnitController } from './commands/dissolve-unit/dissolve-unit.controller';
import { ImportUnitListController, UNIT_LIST_MAX_BYTES } from './commands/import-unit-list/import-unit-list.controller';
import { ImportUnitListHandler } from './commands/import-unit-list/import-unit-list.handler';
import { MergeUnitsController } from './commands/merge-units/merge-units.controller';
import { MergeUnitsHandler } from './commands/merge-units/merge-units.handler';
import { RegisterUnitController } from './commands/register-unit/register-unit.controller';
import { RenameUnitController } from './commands/rename-unit/rename-unit.controller';
import { ExecuteUnitCommandHandler } from './execute-unit-command.handler';
import { GetUnitController } from './queries/get-unit/get-unit.controller';
import { GetUnitQuery } from './queries/get-unit/get-unit.query';
import { ListUnitsController } from './queries/list-units/list-units.controller';
import { ListUnitsQuery } from './queries/list-units/list-units.query';
import { UNITS_FEATURE_OPTIONS, UnitsProjection } from './projections/units.projection';

/** The unit registry (đơn vị hành chính): register, rename, change type, merge, dissolve, import. */
@Module({
  // Static routes (merges, import) are registered before the ones with a :code parameter.
  controllers: [
    MergeUnitsController,
    ImportUnitListController,
    RegisterUnitController,
    RenameUnitController,
    ChangeUnitTypeController,
    DissolveUnitController,
    GetUnitController,
    ListUnitsController,
  ],
  providers: [ExecuteUnitCommandHandler, MergeUnitsHandler, ImportUnitListHandler, GetUnitQuery, ListUnitsQuery],
})
export class UnitFeatureModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(raw({ type: [...SPREADSHEET_TYPES], limit: UNIT_LIST_MAX_BYTES })).forRoutes({ path: 'units/import', method: RequestMethod.POST });
  }
}

/** The units list projection: run by the worker, or by the API when it runs the worker's work in-process; otherwise only migrated. */
@Module({})
export class UnitsProjectionModule {
  static forRoot(host: ProjectionHostOptions): DynamicModule {
    return { module: UnitsProjectionModule, providers: [UnitsProjection, { provide: UNITS_FEATURE_OPTIONS, useValue: host }] };
  }
}
