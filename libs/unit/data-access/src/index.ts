export * from './lib/unit.streams';
export * from './lib/units.read-model';
