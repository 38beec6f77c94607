export * from './lib/assessment.streams';
export * from './lib/assessment-views.migrations';
