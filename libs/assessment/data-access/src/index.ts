export * from './lib/assessment.streams';
