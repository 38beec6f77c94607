export * from './lib/framework.streams';
