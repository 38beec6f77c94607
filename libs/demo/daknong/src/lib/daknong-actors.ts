import type { AssessmentActor } from '@tieuchi/assessment/domain';

// The appraisal team sits in the provincial department (Sở TT&TT), which is not an assessed unit:
// its people belong to no unit, so they may review, approve and publish any of the 79.

export const DAKNONG_ADMINISTRATOR: AssessmentActor = { id: 'admin.sotttt', roles: ['administrator'], unitCodes: [] };

export const DAKNONG_REVIEWERS: readonly AssessmentActor[] = [1, 2, 3].map((n) => ({
  id: `reviewer.sotttt.${n}`,
  roles: ['reviewer'],
  unitCodes: [],
}));

export const DAKNONG_APPROVER: AssessmentActor = { id: 'approver.sotttt', roles: ['approver'], unitCodes: [] };

/** The officer who fills in a unit's form (cán bộ đầu mối CNTT). */
export function unitEditor(unitCode: string): AssessmentActor {
  return { id: `editor.${unitCode}`, roles: ['unit_editor'], unitCodes: [unitCode] };
}

/** The unit's head (lãnh đạo UBND), who submits. */
export function unitLead(unitCode: string): AssessmentActor {
  return { id: `lead.${unitCode}`, roles: ['unit_lead'], unitCodes: [unitCode] };
}

/** The reviewer of the n-th assessed unit: the work is shared round-robin across the team. */
export function reviewerFor(index: number): AssessmentActor {
  const reviewer = DAKNONG_REVIEWERS[index % DAKNONG_REVIEWERS.length];
  if (!reviewer) throw new Error('no reviewers');
  return reviewer;
}
