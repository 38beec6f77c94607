/** Injection tokens of the runtime: what every feature module may ask for. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The SQL database holding read models (PostgreSQL, or the embedded PGlite). */
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
export const CLOCK = Symbol('CLOCK');

/** Time enters the system here only, so tests and replays can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
