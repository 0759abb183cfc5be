import { createRequire } from 'node:module';

let mallocTrim: ((pad: number) => number) | null | undefined;

/**
 * Hands the C heap's free pages back to the system (glibc's `malloc_trim(0)`, through the koffi FFI,
 * which ships prebuilt and needs no compiler); 'unavailable' where the C library is not glibc
 * (macOS, Alpine's musl) or koffi does not load. The retrain calls it at each stage boundary.
 *
 * Typed arrays, wasm and the pg driver's buffers live in the C heap. After a large block is freed,
 * glibc serves blocks up to its size from the heap instead of mapping them, and keeps up to twice
 * that size free before it shrinks the heap; free pages between live blocks it never returns. At
 * 5,000 courses the heap held ~140 MB at the retrain's served fit for ~60 MB of live arrays. Fixing
 * the thresholds with MALLOC_MMAP_THRESHOLD_ instead slowed every stage by ~20 % (every large array
 * mapped and faulted in afresh); a trim costs 1–6 ms.
 *
 * @example
 * trimNativeHeap(); // 'trimmed'
 */
export function trimNativeHeap(): 'trimmed' | 'nothing to trim' | 'unavailable' {
  if (mallocTrim === undefined) {
    try {
      // Loaded on first use: only the processes that retrain need the native module.
      const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
      mallocTrim = process.platform === 'linux' ? (koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number) : null;
    } catch {
      mallocTrim = null;
    }
  }
  if (!mallocTrim) return 'unavailable';
  return mallocTrim(0) === 1 ? 'trimmed' : 'nothing to trim';
}
