export * from './lib/message';
export * from './lib/domain-error';
export * from './lib/unavailable-error';
