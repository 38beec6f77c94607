export * from './lib/pdf-document';
export * from './lib/vietnamese-format';
