/** One stream per period, e.g. `period-daknong-2019`; persisted name: never change. */
export function periodStreamName(periodId: string): string {
  return `period-${periodId}`;
}
