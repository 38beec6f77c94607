import type { FrameworkCommand } from '@tieuchi/framework/domain';
import type { RequestContext } from '@tieuchi/shared/application';

/** A domain command without metadata: the executor stamps actor, correlation and time. */
export type FrameworkCommandInput = { [K in FrameworkCommand['type']]: Pick<Extract<FrameworkCommand, { type: K }>, 'type' | 'data'> }[FrameworkCommand['type']];

/** The one bus command every framework use case sends; the handler runs load → decide → append. */
export class ExecuteFrameworkCommand {
  constructor(
    readonly frameworkId: string,
    readonly command: FrameworkCommandInput,
    readonly request: RequestContext,
  ) {}
}
