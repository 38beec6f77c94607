export * from './lib/framework-feature.module';
export * from './lib/execute-framework-command';
export * from './lib/queries/get-framework/get-framework.query';
