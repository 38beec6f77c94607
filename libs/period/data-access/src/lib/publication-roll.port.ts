import type { UnitWithoutApproval } from '@tieuchi/period/domain';

/**
 * Who a publication must account for: the units of the period's province, in the tiers its
 * framework ranks, whose assessment in the period is not approved. The period context cannot see
 * units or assessments, so the host binds an adapter from a context that can.
 */
export interface PublicationRoll {
  unitsWithoutApproval(period: { readonly periodId: string; readonly provinceCode: string; readonly year: number; readonly tiers: readonly string[] }): Promise<readonly UnitWithoutApproval[]>;
}

export const PUBLICATION_ROLL = Symbol('PUBLICATION_ROLL');
