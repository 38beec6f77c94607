export * from './lib/accounts.tables';
export * from './lib/accounts.projection-handler';
