import { setFlagsFromString } from 'node:v8';
import { setTimeout as sleep } from 'node:timers/promises';
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

/**
 * How long the retrain yields after a collection: V8 hands the pages it freed back to the system
 * from a background task, and a stage that starts at once allocates on top of them (RSS stayed
 * ~60 MB higher after a collection of 60 MB of garbage until the event loop ran; 20 ms was enough
 * in every try).
 */
const RELEASE_MS = 50;

/**
 * {@link collectGarbage}, then a short yield so the freed pages leave the process before the next
 * stage allocates, then `returnNativeMemory` (the processes that retrain pass the runtime adapter's
 * `trimNativeHeap`, which hands the C heap's free pages back). For a batch job's stage boundaries (a
 * retrain has about ten: half a second).
 *
 * @example
 * await releaseGarbage(trimNativeHeap); // before EASE allocates its matrix
 */
export async function releaseGarbage(returnNativeMemory: () => unknown = () => undefined): Promise<void> {
  collectGarbage();
  await sleep(RELEASE_MS);
  returnNativeMemory();
}
