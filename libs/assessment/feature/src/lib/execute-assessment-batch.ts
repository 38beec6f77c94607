import type { AssessmentCommand, AssessmentState } from '@tieuchi/assessment/domain';
import type { RequestContext } from '@tieuchi/shared/application';
import type { Principal } from '@tieuchi/shared/auth';
import type { MessageMetadata } from '@tieuchi/shared/kernel';

/**
 * Several assessment commands decided and appended as one (one request, one append, one ETag):
 * `commandsFor` builds them from the state they will be decided on, so "accept all remaining"
 * names exactly the criteria still open at that version.
 */
export class ExecuteAssessmentBatch {
  constructor(
    readonly periodId: string,
    readonly unitCode: string,
    readonly commandsFor: (state: AssessmentState, metadata: MessageMetadata) => readonly AssessmentCommand[],
    readonly principal: Principal,
    readonly request: RequestContext,
  ) {}
}
