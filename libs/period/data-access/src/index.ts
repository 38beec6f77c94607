export * from './lib/period.streams';
export * from './lib/publication-roll.port';
export * from './lib/period.province';
