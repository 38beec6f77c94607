export * from './lib/assessment.streams';
export * from './lib/assessment-views.migrations';
export * from './lib/assessment.upcasters';
export * from './lib/evidence-uploads.migrations';
