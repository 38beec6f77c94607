// Test-only entry: imports jest globals, so production code must not import it.
export * from './event-store.contract';
export * from './late-commit.scenario';
export * from '../lib/kurrentdb/kurrentdb-client.fake';
