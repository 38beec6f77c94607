import type { AssessmentActor, AssessmentRole } from '@tieuchi/assessment/domain';
import type { Principal, Role } from '@tieuchi/shared/auth';

/** The fixture speaks the domain's role names; the API's tokens carry its own (ARCHITECTURE.md §1). */
const API_ROLE: Readonly<Record<AssessmentRole, Role | null>> = {
  unit_editor: 'unit_editor',
  unit_lead: 'unit_lead',
  reviewer: 'reviewer',
  approver: 'approver',
  administrator: 'admin',
  system: null,
};

/** The token a demo actor would sign in with: API roles, and the one unit a unit user belongs to. */
export function principalOf(actor: AssessmentActor): Principal {
  const roles = actor.roles.map((role) => {
    const mapped = API_ROLE[role];
    if (mapped === null) throw new Error(`${actor.id} acts as "${role}", which no user can sign in as`);
    return mapped;
  });
  const [unitCode = null, ...others] = actor.unitCodes;
  if (others.length > 0) throw new Error(`${actor.id} belongs to several units; a token names one`);
  // The demo history is Đắk Nông's (province 67).
  return { id: actor.id, roles, unitCode, provinceCode: '67', national: false };
}
