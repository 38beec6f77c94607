export * from './lib/grants';
export * from './lib/account.events';
export * from './lib/account.commands';
export * from './lib/account.state';
export * from './lib/account.errors';
export * from './lib/account.decider';
export * from './lib/login';
