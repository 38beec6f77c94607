export * from './lib/framework.streams';
export * from './lib/framework.versions';
export * from './lib/framework-amendment.dto';
