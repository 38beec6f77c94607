import type { FrameworkDefinition } from '@tieuchi/framework/domain';
import type { UnitListRow } from '@tieuchi/unit/domain';

/** The final (reviewed) score one unit must reach in one part of one year's period. */
export interface DaknongTargetScore {
  readonly year: number;
  readonly unitCode: string;
  readonly unitName: string;
  readonly tier: string;
  readonly partCode: string;
  readonly score: number;
}

/** One group's share of a part total, where the record needs a particular split (see config/demo/README.md). */
export interface DaknongGroupSplit {
  readonly year: number;
  readonly unitCode: string;
  readonly partCode: string;
  readonly groupCode: string;
  readonly points: number;
  readonly note: string;
}

/**
 * Everything the pure command generator needs, already parsed: the loader reads it from config/,
 * the API's demo loader may build it any other way.
 */
export interface DaknongDemoInput {
  readonly units: readonly UnitListRow[];
  readonly framework: FrameworkDefinition;
  readonly targets: readonly DaknongTargetScore[];
  readonly groupSplits: readonly DaknongGroupSplit[];
}
