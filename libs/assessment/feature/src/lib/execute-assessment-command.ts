import type { AssessmentCommand } from '@tieuchi/assessment/domain';
import type { Principal } from '@tieuchi/shared/auth';
import type { RequestContext } from '@tieuchi/shared/application';

/** A domain command without metadata: the executor stamps actor, correlation and time. */
export type AssessmentCommandInput = { [K in AssessmentCommand['type']]: Pick<Extract<AssessmentCommand, { type: K }>, 'type' | 'data'> }[AssessmentCommand['type']];

/**
 * The one bus command every assessment use case sends: the route decides which domain command,
 * the handler loads the context and runs load → decide → append.
 */
export class ExecuteAssessmentCommand {
  constructor(
    readonly periodId: string,
    readonly unitCode: string,
    readonly command: AssessmentCommandInput,
    readonly principal: Principal,
    readonly request: RequestContext,
  ) {}
}
