export * from './lib/period.streams';
