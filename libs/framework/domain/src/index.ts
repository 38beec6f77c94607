export * from './lib/framework-definition';
