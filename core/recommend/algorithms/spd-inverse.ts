import * as tf from '@tensorflow/tfjs-core';
import { startSweepPool } from './sweep-pool.js';

/**
 * Inverts a symmetric positive-definite matrix in place with the symmetric sweep operator, touching
 * only the upper triangle (half the work and memory traffic of Gauss-Jordan), then mirrors it.
 * Row-major Float64Array of n × n; O(n³/2). No pivoting is needed for SPD matrices.
 *
 * @example
 * const a = Float64Array.of(4, 0, 0, 2); invertSpdInPlace(a, 2); // a = [0.25, 0, 0, 0.5]
 */
export function invertSpdInPlace(a: Float64Array, n: number, onProgress?: (fraction: number) => void): void {
  const col = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    const pivot = a[rowK + k]!;
    if (!(pivot > 0)) throw new Error(`matrix is not positive definite at row ${k}; raise the regularisation (lambda)`);
    const inv = 1 / pivot;
    for (let i = 0; i < k; i++) col[i] = a[i * n + k]!;
    for (let j = k; j < n; j++) col[j] = a[rowK + j]!;
    col[k] = 0;
    // Sweep on k: a_ij -= a_ik a_kj / a_kk for i, j ≠ k (col[k] = 0 leaves row and column k alone).
    for (let i = 0; i < n; i++) {
      const f = col[i]! * inv;
      if (f === 0) continue;
      const rowI = i * n;
      for (let j = i; j < n; j++) a[rowI + j]! -= f * col[j]!;
    }
    // The swept row and column become a_ik / a_kk and the pivot −1 / a_kk, so the end result is −A⁻¹.
    for (let i = 0; i < k; i++) a[i * n + k] = col[i]! * inv;
    for (let j = k + 1; j < n; j++) a[rowK + j] = col[j]! * inv;
    a[rowK + k] = -inv;
    if (onProgress && k % 200 === 0) onProgress(k / n);
  }
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = i; j < n; j++) {
      const v = -a[rowI + j]!;
      a[rowI + j] = v;
      a[j * n + i] = v;
    }
  }
}

/**
 * Where row `i` of an n × n upper triangle packed by rows starts, less `i`: element (i, j ≥ i) is at
 * `packedRowBase(i, n) + j`. The packed triangle holds n(n + 1)/2 entries, half a square matrix.
 *
 * @example
 * const at = packedRowBase(i, n) + j; // j ≥ i
 */
export function packedRowBase(i: number, n: number): number {
  return i * n - (i * (i + 1)) / 2;
}

/** Entries of an n × n upper triangle packed by rows. */
export function packedSize(n: number): number {
  return (n * (n + 1)) / 2;
}

export interface BlockedInverseOptions {
  /** Rows swept per step (the inner dimension of every matrix product). */
  blockSize?: number;
  /** Rows of the matrix updated by one matrix product. */
  tileRows?: number;
  /** Columns of the matrix updated by one matrix product. */
  tileColumns?: number;
  /**
   * Threads doing the products: this one plus `threads − 1` worker threads, each with its own
   * wasm backend. More than 1 needs `a` on a SharedArrayBuffer (else this thread works alone).
   */
  threads?: number;
  onProgress?: (fraction: number) => void;
}

/**
 * Block 512 × tile 512 was the fastest of 256/512/768/1024 at 5,000 courses on the bench machine; the
 * 2,048-column chunks keep a product's packed operand (4 MB) near the core (the widest product
 * measured, 2048 × 512 × 2048, ran at ~20 GFLOP/s; 1,024 vs unchunked at 10,000 courses was within
 * the machine's noise).
 */
const DEFAULT_BLOCK = 512;
const DEFAULT_TILE_ROWS = 512;
const DEFAULT_TILE_COLUMNS = 2048;

/** The panels of one block step, shared with the worker threads when there are any. */
export interface SweepStep {
  /** The upper triangle, packed by rows (see {@link packedRowBase}). */
  a: Float32Array;
  n: number;
  k0: number;
  k1: number;
  /** R = A_K,: (b × n). */
  r: Float32Array;
  /** A_KK⁻¹ (b × b). */
  pivot: Float32Array;
  /** Widest column chunk of one product. */
  columns: number;
}

/**
 * Inverts a symmetric positive-definite n × n matrix in place with the blocked symmetric sweep
 * operator: each step sweeps `blockSize` rows at once, so almost all of the n³ multiply-adds are
 * large matrix products run by TensorFlow.js (XNNPACK on the wasm backend), spread over `threads`;
 * only the pivot block is inverted here (recursively; Float64 plain JS at ≤ 128 rows).
 *
 * `a` is the upper triangle (j ≥ i), packed by rows ({@link packedRowBase}); on return it holds the
 * inverse's. A symmetric matrix needs no more: a square one was twice the memory, 100 MB at 5,000
 * courses, the largest block of the nightly retrain's peak. The products are Float32: entries match a
 * Float64 inverse to about 1e-6 of the largest entry for well-regularised matrices (see the tests).
 * Extra memory: a b × n panel (R) plus each thread's rows of Rᵀ for one tile and its wasm copies of R
 * and of one product; never a second copy of the matrix.
 *
 * @example
 * const a = Float32Array.of(4, 1, 2); invertSpdBlockedInPlace(a, 2); // a = [2/7, -1/7, 4/7]
 */
export function invertSpdBlockedInPlace(a: Float32Array, n: number, options: BlockedInverseOptions = {}): void {
  const block = Math.max(1, Math.min(options.blockSize ?? DEFAULT_BLOCK, n));
  const tileRows = Math.max(1, options.tileRows ?? DEFAULT_TILE_ROWS);
  const columns = Math.max(1, options.tileColumns ?? DEFAULT_TILE_COLUMNS);
  const shared = a.buffer instanceof SharedArrayBuffer;
  const pool = shared && (options.threads ?? 1) > 1 && n > block ? startSweepPool(a, n, block, options.threads! - 1) : null;
  const panels = pool?.panels ?? { r: new Float32Array(block * n), pivot: new Float32Array(block * block) };
  try {
    for (let k0 = 0; k0 < n; k0 += block) {
      const k1 = Math.min(n, k0 + block);
      const b = k1 - k0;
      const step: SweepStep = { a, n, k0, k1, columns, r: panels.r.subarray(0, b * n), pivot: panels.pivot.subarray(0, b * b) };
      readPanels(step);
      invertPivot(step);
      const tiles = rowTiles(n, k0, k1, tileRows);
      if (pool) pool.run(step, tiles, (claimed) => sweepRowTiles(step, claimed));
      else sweepRowTiles(step, tiles);
      // A_KK ← −A_KK⁻¹.
      for (let p = 0; p < b; p++) {
        const row = packedRowBase(k0 + p, n) + k0;
        for (let q = p; q < b; q++) a[row + q] = -step.pivot[p * b + q]!;
      }
      options.onProgress?.(k1 / n);
    }
  } finally {
    pool?.close();
  }
  // Sweeping every row leaves −A⁻¹.
  for (let e = 0, end = packedSize(n); e < end; e++) a[e] = -a[e]!;
}

/** R = A_K,: , read from the upper triangle. */
function readPanels({ a, n, k0, k1, r }: SweepStep): void {
  const b = k1 - k0;
  for (let j = 0; j < k0; j++) {
    const row = packedRowBase(j, n);
    for (let p = 0; p < b; p++) r[p * n + j] = a[row + k0 + p]!;
  }
  for (let p = 0; p < b; p++) {
    const row = packedRowBase(k0 + p, n);
    for (let j = k0 + p; j < n; j++) {
      const v = a[row + j]!;
      r[p * n + j] = v;
      if (j < k1) r[(j - k0) * n + k0 + p] = v;
    }
  }
}

/** Row ranges of the rows outside K, widest (most work) first. */
function rowTiles(n: number, k0: number, k1: number, tileRows: number): Array<readonly [number, number]> {
  const tiles: Array<readonly [number, number]> = [];
  for (const [from, to] of [[0, k0], [k1, n]] as const) {
    for (let i0 = from; i0 < to; i0 += tileRows) tiles.push([i0, Math.min(to, i0 + tileRows)]);
  }
  return tiles;
}

/**
 * One block sweep (Goodnight 1979) on rows K = [k0, k1), for the given rows i ∉ K of the upper
 * triangle: A_ij −= U_i R_j for j ≥ i, j ∉ K, with U = A_:,K A_KK⁻¹; then A_iK ← U_i. Tiles never
 * share rows, and A_iK of a row below K lives in rows K, which no tile updates, so threads can run
 * disjoint tiles at once.
 *
 * @example
 * sweepRowTiles(step, [[0, 512], [1024, 1536]]);
 */
export function sweepRowTiles(step: SweepStep, tiles: Iterable<readonly [number, number]>): void {
  const { a, n, k0, k1, r, pivot, columns } = step;
  const b = k1 - k0;
  const rTensor = tf.tensor2d(r, [b, n]);
  const pivotTensor = tf.tensor2d(pivot, [b, b]);
  // The tile's rows of Rᵀ, reused by every tile (a whole Rᵀ panel was another b × n array).
  let tileRt = new Float32Array(0);
  try {
    for (const [i0, i1] of tiles) {
      if (tileRt.length < (i1 - i0) * b) tileRt = new Float32Array((i1 - i0) * b);
      for (let p = 0; p < b; p++) {
        for (let i = i0; i < i1; i++) tileRt[(i - i0) * b + p] = r[p * n + i]!;
      }
      const uTensor = tf.tidy(() => tf.matMul(tf.tensor2d(tileRt.subarray(0, (i1 - i0) * b), [i1 - i0, b]), pivotTensor));
      try {
        // Column chunks keep the packed right-hand operand (b × width) in the core's cache.
        for (let j0 = i0; j0 < n; j0 += columns) {
          const width = Math.min(columns, n - j0);
          // C = U_I R_:,[j0, j0 + width). transposeB is avoided on purpose: wasm runs it ~10× slower.
          const product = tf.tidy(() => tf.matMul(uTensor, tf.slice(rTensor, [0, j0], [b, width])));
          const c = valuesOf(product);
          for (let i = i0; i < i1; i++) {
            const row = packedRowBase(i, n);
            const at = (i - i0) * width - j0;
            const from = Math.max(i, j0);
            const to = j0 + width;
            // Columns of K are skipped: they get U below.
            for (let j = from, end = Math.min(to, i < k0 ? k0 : n); j < end; j++) a[row + j]! -= c[at + j]!;
            if (i < k0) for (let j = Math.max(from, k1); j < to; j++) a[row + j]! -= c[at + j]!;
          }
          product.dispose();
        }
        const u = valuesOf(uTensor);
        for (let i = i0; i < i1; i++) {
          if (i < k0) a.set(u.subarray((i - i0) * b, (i - i0 + 1) * b), packedRowBase(i, n) + k0);
          else for (let p = 0; p < b; p++) a[packedRowBase(k0 + p, n) + i] = u[(i - i0) * b + p]!;
        }
      } finally {
        uTensor.dispose();
      }
    }
  } finally {
    tf.dispose([rTensor, pivotTensor]);
  }
}

/**
 * A float32 tensor's values, read before anything else runs on the backend and before the tensor is
 * disposed. On the wasm backend a view of its memory: `dataSync` copies, and at 5,000 courses a fit
 * copied ~1 GB in 4 MB buffers that outlived their use until V8 collected them, ~60 MB of the
 * retrain's peak. Other backends copy.
 */
function valuesOf(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as Partial<{ typedArrayFromHeap(info: tf.TensorInfo): Float32Array }>;
  return backend.typedArrayFromHeap ? backend.typedArrayFromHeap(t) : (t.dataSync() as Float32Array);
}

/** Below this size the pivot block is inverted in Float64 plain JS; above, by a blocked sweep of its own. */
const PLAIN_PIVOT_MAX = 128;

/** step.pivot ← A_KK⁻¹ (full b × b) from the panel R = A_K,: . */
function invertPivot({ n, k0, k1, r, pivot }: SweepStep): void {
  const b = k1 - k0;
  try {
    if (b <= PLAIN_PIVOT_MAX) {
      const exact = new Float64Array(b * b);
      for (let p = 0; p < b; p++) for (let q = 0; q < b; q++) exact[p * b + q] = r[p * n + k0 + q]!;
      invertSpdInPlace(exact, b);
      pivot.set(exact);
      return;
    }
    const packed = new Float32Array(packedSize(b));
    for (let p = 0; p < b; p++) packed.set(r.subarray(p * n + k0 + p, p * n + k0 + b), packedRowBase(p, b) + p);
    invertSpdBlockedInPlace(packed, b, { blockSize: PLAIN_PIVOT_MAX, tileRows: b });
    for (let p = 0; p < b; p++) {
      for (let q = p; q < b; q++) {
        const v = packed[packedRowBase(p, b) + q]!;
        pivot[p * b + q] = v;
        pivot[q * b + p] = v;
      }
    }
  } catch (error) {
    throw new Error(`matrix is not positive definite in rows ${k0}–${k1 - 1}; raise the regularisation (lambda)`, { cause: error });
  }
}
