export * from './lib/rankings.migrations';
