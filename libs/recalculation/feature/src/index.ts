export * from './lib/recalculation-feature.module';
export * from './lib/recalculation.runtime';
export * from './lib/recalculation.tokens';
export * from './lib/job-queue/job-queue.port';
export * from './lib/job-queue/in-process-job-queue';
export type { BullMqJobQueue, BullMqJobQueueOptions } from './lib/job-queue/bullmq-job-queue';
export * from './lib/jobs/recalculate-assessment/recalculate-assessment.processor';
export * from './lib/projections/recalculation-dispatcher/recalculation-dispatcher.projection';
export * from './lib/queries/what-if-amendment/what-if-amendment.query';
