export * from './lib/message';
export * from './lib/domain-error';
