export * from './lib/assessment-processes.module';
export * from './lib/publish-assessments-with-period/publish-assessments-with-period.process';
