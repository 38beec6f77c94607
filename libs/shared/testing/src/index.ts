export * from './lib/postgres-test-schema';
export * from './lib/postgres-test-database';
export * from './lib/spare-port';
export * from './lib/smtp-sink';
export * from './lib/postgres-server';
