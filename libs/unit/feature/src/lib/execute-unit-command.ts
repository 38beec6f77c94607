import type { UnitCommand } from '@tieuchi/unit/domain';
import type { RequestContext } from '@tieuchi/shared/application';

/** A domain command without metadata: the executor stamps actor, correlation and time. */
export type UnitCommandInput = { [K in UnitCommand['type']]: Pick<Extract<UnitCommand, { type: K }>, 'type' | 'data'> }[UnitCommand['type']];

/** The bus command of the single-stream unit use cases; the handler runs load → decide → append. */
export class ExecuteUnitCommand {
  constructor(
    readonly unitCode: string,
    readonly command: UnitCommandInput,
    readonly request: RequestContext,
  ) {}
}
