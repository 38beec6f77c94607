/** The process's RecalculationRuntime (dispatcher, queue, processor). */
export const RECALCULATION_RUNTIME = Symbol('RECALCULATION_RUNTIME');
