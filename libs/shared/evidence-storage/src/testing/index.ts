export * from './evidence-storage.contract';
export * from './evidence-samples';
export * from './s3-test-server';
