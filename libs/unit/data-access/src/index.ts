export * from './lib/unit.streams';
