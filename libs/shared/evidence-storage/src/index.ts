export * from './lib/evidence-storage.port';
export * from './lib/evidence.errors';
export * from './lib/evidence-media-types';
export * from './lib/evidence-ingest';
export * from './lib/file-system-evidence-storage';
export * from './lib/s3-evidence-storage';
