import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseReorganisation,
  parseUnitList,
  parseUnitTypeChanges,
  type ReorganisationRow,
  type UnitListRow,
  type UnitTypeChangeRow,
} from './unit-list.config';

export interface DaknongUnitConfig {
  readonly units2019: readonly UnitListRow[];
  readonly typeChanges2020: readonly UnitTypeChangeRow[];
  readonly reorganisation2025: readonly ReorganisationRow[];
}

/**
 * The one impure helper of this library: it reads `config/units/` and hands the text to the pure
 * parsers. Callers pass the directory so that nothing here guesses where the workspace lives.
 */
export function readDaknongUnitConfig(configUnitsDir: string): DaknongUnitConfig {
  const read = (file: string): string => readFileSync(join(configUnitsDir, file), 'utf8');
  return {
    units2019: parseUnitList(read('daknong-2019.csv')),
    typeChanges2020: parseUnitTypeChanges(read('daknong-2020-type-changes.csv')),
    reorganisation2025: parseReorganisation(read('daknong-2025-reorganisation.csv')),
  };
}
