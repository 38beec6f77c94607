import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const workspaceRoot = resolve(__dirname, '..', '..');
let built = false;

/**
 * The entry file of a service compiled into dist/, built once per benchmark run: the services are
 * measured as `npm start` runs them, without a compiler loaded into their heaps.
 */
export function builtServiceEntry(service: 'api' | 'worker'): string {
  if (!built) {
    execFileSync(process.execPath, [join(workspaceRoot, 'tools', 'build.cjs')], { cwd: workspaceRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    built = true;
  }
  return join(workspaceRoot, 'dist', 'apps', service, 'src', 'main.js');
}
