import { periodStreamId } from '@tieuchi/period/domain';

/** One stream per period; the domain owns the name, so that the demo history uses the same. */
export function periodStreamName(periodId: string): string {
  return periodStreamId(periodId);
}
