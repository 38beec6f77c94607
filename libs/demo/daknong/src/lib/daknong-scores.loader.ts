import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFrameworkDefinitionFile } from '@tieuchi/framework/domain';
import { parseUnitList } from '@tieuchi/unit/domain';
import { parseGroupSplits, parseTargetScores } from './daknong-demo-input.parser';
import type { DaknongDemoInput } from './daknong-demo.input';

/** The workspace root, found from this file so that any working directory works. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..', '..');

/**
 * The only impure function of this library: it reads the repository's config files (units,
 * the 2392 framework, the demo scores and group splits) and hands them to the pure builder.
 */
export function loadDaknongDemoInput(workspaceRoot: string = WORKSPACE_ROOT): DaknongDemoInput {
  const read = (...path: string[]): string => readFileSync(join(workspaceRoot, ...path), 'utf8');
  return {
    units: parseUnitList(read('config', 'units', 'daknong-2019.csv')),
    framework: loadFrameworkDefinitionFile(join(workspaceRoot, 'config', 'frameworks', '2392-2017.yaml')),
    targets: parseTargetScores(read('config', 'demo', 'daknong-2018-2019-scores.csv')),
    groupSplits: parseGroupSplits(read('config', 'demo', 'daknong-group-splits.csv')),
  };
}
