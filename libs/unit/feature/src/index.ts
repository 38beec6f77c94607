export * from './lib/unit-feature.module';
export * from './lib/execute-unit-command';
export * from './lib/queries/get-unit/get-unit.query';
