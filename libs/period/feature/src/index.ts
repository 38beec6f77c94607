export * from './lib/period-feature.module';
export * from './lib/execute-period-command';
export * from './lib/period-command.response';
export * from './lib/queries/get-period/get-period.query';
