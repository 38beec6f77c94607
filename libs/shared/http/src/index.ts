export * from './lib/problem-details';
export * from './lib/problem-details.filter';
export * from './lib/correlation-id';
export * from './lib/validation';
export * from './lib/json-body';
export * from './lib/public-response-cache';
export * from './lib/access-log';
