import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, for a batch job between stages that each allocate hundreds of MB: V8
 * collects when its heap heuristics say so, so one stage's garbage (a million events read in
 * pages, the ranker's rows) is otherwise often still held when the next allocates EASE's 100 MB
 * matrix, and the process's peak is the two together. Blocks for a fraction of a second; never
 * call it on a request path. Without `--expose-gc` V8 hides `gc`; a context created while the flag
 * is set gets it (as jest's leak detector does), and the flag is then hidden again.
 *
 * @example
 * collectGarbage(); // between the retrain's stages
 */
export function collectGarbage(): void {
  const hidden = typeof globalThis.gc !== 'function';
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  if (hidden) setFlagsFromString('--no-expose-gc');
}
