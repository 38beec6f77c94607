import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs one full garbage collection. Start-up leaves hundreds of MB behind: PGlite's initdb instance
 * (its own WebAssembly memory, on an empty DATA_DIR) and the demo's parsed history. V8 collects
 * them only under allocation pressure, which an idle server never creates, so the process kept
 * 750–900 MB resident until its first busy minute. One collection after start costs ~0.1 s.
 */
export function collectStartupGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
}
