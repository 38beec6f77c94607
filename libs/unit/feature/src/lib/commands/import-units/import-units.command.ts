import type { RequestContext } from '@tieuchi/shared/application';

/** Registers the units of a bundled list (config/units); units already registered are skipped. */
export class ImportUnitsCommand {
  constructor(
    readonly list: 'daknong-2019',
    readonly request: RequestContext,
  ) {}
}

export interface ImportUnitsResult {
  readonly list: string;
  readonly total: number;
  readonly registered: number;
  readonly skipped: number;
}
