import type { PeriodCommand } from '@tieuchi/period/domain';
import type { RequestContext } from '@tieuchi/shared/application';

/** A domain command without metadata: the executor stamps actor, correlation and time. */
export type PeriodCommandInput = { [K in PeriodCommand['type']]: Pick<Extract<PeriodCommand, { type: K }>, 'type' | 'data'> }[PeriodCommand['type']];

/** The one bus command every period use case sends; the handler runs load → decide → append. */
export class ExecutePeriodCommand {
  constructor(
    readonly periodId: string,
    readonly command: PeriodCommandInput,
    readonly request: RequestContext,
  ) {}
}
