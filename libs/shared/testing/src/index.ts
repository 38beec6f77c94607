export * from './lib/postgres-test-schema';
