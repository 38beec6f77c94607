import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * One full garbage collection after start (~0.1 s). Start-up leaves hundreds of MB behind (PGlite's
 * initdb instance, the demo's parsed history) that V8 collects only under allocation pressure,
 * which an idle server never creates: it would sit at 750–900 MB resident.
 */
export function collectStartupGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
}
