export * from './lib/recalculation.jobs';
export * from './lib/recalculation.migrations';
export * from './lib/recalculation-runs.store';
