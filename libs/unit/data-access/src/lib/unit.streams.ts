/** One stream per unit, keyed by its official code (mã ĐVHC); persisted name: never change. */
export function unitStreamName(unitCode: string): string {
  return `unit-${unitCode}`;
}
