import { AssessmentErrorCode as E, assessmentError } from '../assessment.errors';
import type { StartedAssessment } from '../assessment.state';

/** A returned form reopens only the criteria the reviewer flagged (all of them when none were). */
export function requireFlagged(state: StartedAssessment, criterionCode: string): void {
  if (state.status !== 'returned' || state.flaggedCriteria.length === 0) return;
  if (!state.flaggedCriteria.includes(criterionCode)) {
    throw assessmentError(E.notEditable, 'conflict', `criterion ${criterionCode} was not flagged for revision`, 'data.criterionCode', {
      flaggedCriteria: state.flaggedCriteria,
    });
  }
}
