export * from './lib/audit-trail.tables';
export * from './lib/audit-chain';
export * from './lib/describe-event';
