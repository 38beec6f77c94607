import type { RequestContext } from '@tieuchi/shared/application';
import type { MergeUnits } from '@tieuchi/unit/domain';

export class MergeUnitsCommand {
  constructor(
    readonly data: MergeUnits['data'],
    readonly request: RequestContext,
  ) {}
}

export interface MergeUnitsResult {
  readonly successor: { readonly streamName: string; readonly version: number; readonly events: readonly string[] };
  readonly predecessors: readonly { readonly code: string; readonly streamName: string; readonly version: number; readonly events: readonly string[] }[];
}
