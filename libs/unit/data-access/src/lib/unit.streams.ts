import { unitStreamId } from '@tieuchi/unit/domain';

/** One stream per unit; the domain owns the name, so that the demo history uses the same. */
export function unitStreamName(unitCode: string): string {
  return unitStreamId(unitCode);
}
