import { assessmentStreamId } from '@tieuchi/assessment/domain';

/** One stream per period × unit; the domain owns the name because appeals and merges refer to it. */
export function assessmentStreamName(periodId: string, unitCode: string): string {
  return assessmentStreamId(periodId, unitCode);
}
