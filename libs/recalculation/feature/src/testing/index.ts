export * from './recalculation.fixtures';
export * from './test-redis-server';
