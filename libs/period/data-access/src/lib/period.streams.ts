import { decisionNumberStreamId, periodStreamId } from '@tieuchi/period/domain';

/** One stream per period; the domain owns the name, so that the demo history uses the same. */
export function periodStreamName(periodId: string): string {
  return periodStreamId(periodId);
}

/** One stream per decision number of a province, holding the claim of the period that uses it. */
export function decisionNumberStreamName(provinceCode: string, decisionNumber: string): string {
  return decisionNumberStreamId(provinceCode, decisionNumber);
}
