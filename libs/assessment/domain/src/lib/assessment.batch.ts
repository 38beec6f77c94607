import { DomainError, isDomainError } from '@tieuchi/shared/kernel';
import type { AcceptCriterion, AssessmentCommand } from './assessment.commands';
import type { AssessmentContext } from './assessment.context';
import { decideAssessment, evolveAssessment } from './assessment.decider';
import type { AssessmentEvent } from './assessment.events';
import type { AssessmentState } from './assessment.state';

/** One refused item of a batch, named by its index and criterion so a form can show it in place. */
export interface BatchItemError {
  readonly index: number;
  readonly criterionCode: string | null;
  readonly code: string;
  readonly field: string | null;
  readonly message: string;
}

export const ASSESSMENT_BATCH_REFUSED = 'ASSESSMENT.BATCH_REFUSED';

const criterionOf = (command: AssessmentCommand): string | null =>
  'criterionCode' in command.data && typeof command.data.criterionCode === 'string' ? command.data.criterionCode : null;

/** An item's field as the request names it: the command's `data.answer.value` is `items.3.answer.value`. */
const itemField = (index: number, field: string | undefined): string =>
  field === undefined ? `items.${index}` : `items.${index}.${field.replace(/^data\./, '')}`;

/**
 * Decides several commands as one: each is decided on the state the earlier ones leave, and the
 * batch is all or nothing (one append). When items are refused for their own input, every such
 * refusal is reported together (a form shows each at its criterion); a refusal of the whole
 * assessment (wrong state, forbidden) is thrown as it is, since no item could succeed.
 */
export function decideAssessmentBatch(
  commands: readonly AssessmentCommand[],
  state: AssessmentState,
  context: AssessmentContext,
): readonly AssessmentEvent[] {
  const events: AssessmentEvent[] = [];
  const errors: BatchItemError[] = [];
  let current = state;
  commands.forEach((command, index) => {
    try {
      const decided = decideAssessment(command, current, context);
      events.push(...decided);
      current = decided.reduce(evolveAssessment, current);
    } catch (error) {
      if (!isDomainError(error) || error.category !== 'validation') throw error;
      errors.push({ index, criterionCode: criterionOf(command), code: error.code, field: itemField(index, error.field), message: error.message });
    }
  });
  if (errors.length > 0) {
    throw new DomainError(ASSESSMENT_BATCH_REFUSED, 'validation', `${errors.length} of ${commands.length} answers were refused.`, errors[0]?.field ?? 'items', {
      errors,
    });
  }
  return events;
}

/** Accept commands for every criterion that has a self score and no review decision yet ("accept all remaining"). */
export function acceptRemainingCommands(state: AssessmentState, metadata: AcceptCriterion['metadata']): readonly AcceptCriterion[] {
  if (state.status === 'not_started') return [];
  return Object.values(state.criteria)
    .filter((record) => record.self !== null && record.review === null)
    .map((record) => ({ type: 'AcceptCriterion', data: { criterionCode: record.code }, metadata }));
}
