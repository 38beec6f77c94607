export * from './crafted-zip';
