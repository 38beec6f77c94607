export * from './recalculation.fixtures';
export * from './test-redis-server';
export * from './remove-test-queue';
