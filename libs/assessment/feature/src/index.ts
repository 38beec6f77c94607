export * from './lib/assessment-feature.module';
export * from './lib/assessment-context.loader';
export * from './lib/execute-assessment-command';
export * from './lib/assessment-command.response';
export * from './lib/assessment-views.module';
export * from './lib/execute-assessment-batch';
export { EvidenceCleanup } from './lib/evidence/evidence-cleanup.service';
export { EvidenceUploads } from './lib/evidence/evidence-uploads.repository';
