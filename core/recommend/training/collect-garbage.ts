import { setFlagsFromString } from 'node:v8';
import { setTimeout as sleep } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import { createRequire } from 'node:module';

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

let mallocTrim: ((pad: number) => number) | null | undefined;

/**
 * Hands the C heap's free pages back to the system (glibc's `malloc_trim(0)`, through the koffi FFI);
 * 'unavailable' where the C library is not glibc (macOS, Alpine's musl) or koffi does not load.
 *
 * Typed arrays, wasm and the pg driver's buffers live in the C heap. After a large block is freed,
 * glibc serves blocks up to its size from the heap instead of mapping them, and keeps up to twice
 * that size free before it shrinks the heap; free pages between live blocks it never returns. At
 * 5,000 courses the heap held ~140 MB at the retrain's served fit for ~60 MB of live arrays. Fixing
 * the thresholds with MALLOC_MMAP_THRESHOLD_ instead slowed every stage by ~20 % (every large array
 * mapped and faulted in afresh); a trim at a stage boundary costs 1–6 ms.
 *
 * @example
 * trimNativeHeap(); // 'trimmed'
 */
export function trimNativeHeap(): 'trimmed' | 'nothing to trim' | 'unavailable' {
  if (mallocTrim === undefined) {
    try {
      // Loaded on first use: only batch jobs need the native module.
      const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
      mallocTrim = process.platform === 'linux' ? (koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number) : null;
    } catch {
      mallocTrim = null;
    }
  }
  if (!mallocTrim) return 'unavailable';
  return mallocTrim(0) === 1 ? 'trimmed' : 'nothing to trim';
}

/**
 * {@link collectGarbage}, then a short yield so the freed pages leave the process before the next
 * stage allocates, then {@link trimNativeHeap}. For a batch job's stage boundaries (a retrain has
 * about ten: half a second).
 *
 * @example
 * await releaseGarbage(); // before EASE allocates its matrix
 */
export async function releaseGarbage(): Promise<void> {
  collectGarbage();
  await sleep(RELEASE_MS);
  trimNativeHeap();
}
