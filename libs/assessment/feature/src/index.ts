export * from './lib/assessment-feature.module';
export * from './lib/assessment-context.loader';
export * from './lib/execute-assessment-command';
export * from './lib/assessment-command.response';
export * from './lib/assessment-views.module';
export * from './lib/execute-assessment-batch';
