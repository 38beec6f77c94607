import type { PeriodCommand, PublishPeriod } from '@tieuchi/period/domain';
import type { RequestContext } from '@tieuchi/shared/application';

type Input<C extends PeriodCommand> = Pick<C, 'type' | 'data'>;

/**
 * A domain command without metadata: the executor stamps actor, correlation and time. A
 * publication comes without the units awaiting approval: the handler finds them.
 */
export type PeriodCommandInput =
  | { [K in Exclude<PeriodCommand['type'], 'PublishPeriod'>]: Input<Extract<PeriodCommand, { type: K }>> }[Exclude<PeriodCommand['type'], 'PublishPeriod'>]
  | { readonly type: 'PublishPeriod'; readonly data: Omit<PublishPeriod['data'], 'unitsWithoutApproval'> };

/** The one bus command every period use case sends; the handler runs load → decide → append. */
export class ExecutePeriodCommand {
  constructor(
    readonly periodId: string,
    readonly command: PeriodCommandInput,
    readonly request: RequestContext,
  ) {}
}
