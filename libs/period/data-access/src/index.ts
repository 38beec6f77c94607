export * from './lib/period.streams';
export * from './lib/publication-roll.port';
