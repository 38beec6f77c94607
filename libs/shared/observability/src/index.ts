export * from './lib/metrics';
export * from './lib/http-metrics';
export * from './lib/metrics-endpoint';
export * from './lib/metrics-server';
export * from './lib/log-format';
