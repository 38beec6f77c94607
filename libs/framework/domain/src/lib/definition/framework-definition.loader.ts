import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameworkDefinition } from '../framework-definition';
import { parseFrameworkDefinition } from './framework-definition.parser';

/** The repository's framework files, found from this file so that any working directory works. */
export const FRAMEWORKS_DIRECTORY = join(__dirname, '..', '..', '..', '..', '..', '..', 'config', 'frameworks');

/** Reads and validates one framework file. The only function of this library that touches a disk. */
export function loadFrameworkDefinitionFile(path: string): FrameworkDefinition {
  return parseFrameworkDefinition(readFileSync(path, 'utf8'), path);
}

/** Loads a file shipped in config/frameworks by name, e.g. `2392-2017` or `dti-example`. */
export function loadBundledFramework(name: string): FrameworkDefinition {
  return loadFrameworkDefinitionFile(join(FRAMEWORKS_DIRECTORY, `${name}.yaml`));
}
