export * from './lib/unit-feature.module';
export * from './lib/execute-unit-command';
export * from './lib/queries/get-unit/get-unit.query';
export * from './lib/queries/list-units/list-units.dto';
export { UNITS_READ_MODEL_SCHEMA } from './lib/projections/units.projection';
