import { availableParallelism } from 'node:os';
import type { Csr } from '../data/csr.js';
import { hasFastTensorflowBackend } from '../tf-backend.js';
import { topK } from '../data/top-k.js';
import type { ItemNeighbours } from './item-knn.js';
import type { TopNModel } from './top-n-model.js';
import { invertSpdBlockedInPlace, invertSpdInPlace, packedRowBase, packedSize, type BlockedInverseOptions } from './spd-inverse.js';

/** How the fit inverts XᵀX + λI: `blocked` runs the products on TensorFlow.js, `sweep` is plain Float64 JS. */
export type EaseSolver = 'auto' | 'blocked' | 'sweep';

export interface EaseOptions {
  /** L2 regularisation; 200–500 suits MovieLens-100K. */
  lambda: number;
  /** Emphasised-denoising dropout probability (EDLAE); 0 is plain EASE. */
  dropout?: number;
  /** Weights each user's co-occurrences by |history|^-userPower, so very active users count less. */
  userPower?: number;
  /**
   * `auto` (default): `blocked` from {@link BLOCKED_MIN_ITEMS} items when a fast TensorFlow.js backend
   * (wasm or native) is active (call `initTensorflowBackend` first), else `sweep`.
   */
  solver?: EaseSolver;
  /** Block settings of the `blocked` solver (the defaults were chosen by measurement). */
  blocked?: Omit<BlockedInverseOptions, 'onProgress'>;
  onProgress?: (fraction: number) => void;
}

/**
 * Threads of the blocked solver: both cores, at most two (each holds its own wasm heap). On the
 * 2-core bench machine at load ~2.5 the 10,000-course fit took 68.5 s with two and 115.1 s with one;
 * under a load of ~8 two were slower (other jobs took the second core).
 */
const DEFAULT_THREADS = Math.min(2, availableParallelism());

/** Below this many items the plain sweep is fast enough (under a second) and exact in Float64. */
export const BLOCKED_MIN_ITEMS = 1_000;

/**
 * EASE (Steck 2019): a closed-form item-item model. B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹,
 * diagonal forced to 0. Dense in items: P is symmetric, so the model keeps its upper triangle
 * (2n² bytes in Float32: 200 MB at 10,000 items) and reads rows of B from it ({@link weightRow}). With
 * the wasm backend the inverse is a blocked sweep whose products run on XNNPACK (n³ = 10¹²
 * multiply-adds at 10,000 items; timed against numpy by `npm run bench:ease`); without it a plain-JS
 * sweep, meant for a few thousand items.
 *
 * @example
 * const ease = new EaseModel({ lambda: 300 }); ease.fit(train); ease.scoreHistory([1, 5], scores);
 */
export class EaseModel implements TopNModel {
  readonly name: string;
  nItems = 0;
  /** P's upper triangle packed by rows (see packedRowBase): Float32 from the blocked solver, Float64 from the sweep. */
  private inverse: Float32Array | Float64Array = new Float32Array(0);
  /** P_jj. */
  private diagonal = new Float64Array(0);
  private row = new Float32Array(0);
  /** The solver the last fit used. */
  solverUsed: Exclude<EaseSolver, 'auto'> | null = null;

  readonly lambda: number;
  private readonly dropout: number;
  private readonly userPower: number;
  private readonly solver: EaseSolver;
  private readonly blocked: Omit<BlockedInverseOptions, 'onProgress'>;
  private readonly onProgress?: (fraction: number) => void;

  constructor(options: EaseOptions) {
    this.lambda = options.lambda;
    this.dropout = options.dropout ?? 0;
    this.userPower = options.userPower ?? 0;
    this.solver = options.solver ?? 'auto';
    this.blocked = options.blocked ?? {};
    this.onProgress = options.onProgress;
    this.name = `ease(lambda=${this.lambda}${this.dropout ? `,dropout=${this.dropout}` : ''}${this.userPower ? `,userPower=${this.userPower}` : ''})`;
  }

  fit(train: Csr): void {
    const n = train.nCols;
    const solver = this.solver === 'auto' ? (n >= BLOCKED_MIN_ITEMS && hasFastTensorflowBackend() ? 'blocked' : 'sweep') : this.solver;
    // The previous fit’s triangle is garbage before the next one is allocated.
    this.inverse = new Float32Array(0);
    this.inverse = solver === 'blocked' ? this.fitBlocked(train) : this.fitSweep(train);
    this.diagonal = new Float64Array(n);
    for (let j = 0; j < n; j++) this.diagonal[j] = this.inverse[packedRowBase(j, n) + j]!;
    this.row = new Float32Array(n);
    this.nItems = n;
    this.solverUsed = solver;
  }

  /** Float64 throughout: an n × n work array, then its upper triangle. */
  private fitSweep(train: Csr): Float64Array {
    const n = train.nCols;
    const g = new Float64Array(n * n);
    addGram(train, g, this.userPower, 'square');
    for (let i = 0; i < n; i++) this.regularise(g, i * n + i);
    invertSpdInPlace(g, n, this.onProgress);
    const p = new Float64Array(packedSize(n));
    for (let i = 0; i < n; i++) p.set(g.subarray(i * n + i, (i + 1) * n), packedRowBase(i, n) + i);
    return p;
  }

  /** One Float32 upper triangle: the Gram matrix, inverted in place. */
  private fitBlocked(train: Csr): Float32Array {
    const n = train.nCols;
    const threads = this.blocked.threads ?? DEFAULT_THREADS;
    // Worker threads update the matrix in place, so it lives on shared memory when there are any.
    const g = threads > 1 ? new Float32Array(new SharedArrayBuffer(4 * packedSize(n))) : new Float32Array(packedSize(n));
    addGram(train, g, this.userPower, 'packed');
    for (let i = 0; i < n; i++) this.regularise(g, packedRowBase(i, n) + i);
    invertSpdBlockedInPlace(g, n, { ...this.blocked, threads, onProgress: this.onProgress });
    return g;
  }

  private regularise(g: Float64Array | Float32Array, diagonal: number): void {
    // EDLAE (Steck 2020): dropout adds a penalty proportional to each item's own weight on the diagonal.
    const emphasis = this.dropout > 0 ? this.dropout / (1 - this.dropout) : 0;
    g[diagonal]! += this.lambda + emphasis * g[diagonal]!;
  }

  /**
   * Row `i` of B into `out` (length nItems): B_ij = −P_ij / P_jj, B_ii = 0, in Float32 as the model
   * served before it kept only P's triangle. Entries left of the diagonal are read down a column of
   * the triangle.
   *
   * @example
   * const row = new Float32Array(ease.nItems); ease.weightRow(3, row);
   */
  weightRow(i: number, out: Float32Array): void {
    const n = this.nItems;
    const p = this.inverse;
    const d = this.diagonal;
    for (let j = 0; j < i; j++) out[j] = -p[packedRowBase(j, n) + i]! / d[j]!;
    out[i] = 0;
    const base = packedRowBase(i, n);
    for (let j = i + 1; j < n; j++) out[j] = -p[base + j]! / d[j]!;
  }

  scoreHistory(history: ArrayLike<number>, out: Float64Array): void {
    const n = this.nItems;
    out.fill(0);
    for (let h = 0; h < history.length; h++) {
      this.weightRow(history[h]!, this.row);
      for (let j = 0; j < n; j++) out[j]! += this.row[j]!;
    }
  }
}

/**
 * The `k` strongest weights of each row of a fitted EASE model (largest magnitude, negative ones
 * too), as neighbour lists: what the served artifact stores (a dense n × n matrix would not fit in
 * it), scored like item-kNN. EASE's negative weights say "followers who took this rarely take that";
 * dropping them cost 0.003–0.006 P@10 on every MovieLens-100K protocol.
 *
 * @example
 * const ease = new EaseModel({ lambda: 400 }); ease.fit(train); const nb = easeNeighbours(ease, 100);
 */
export function easeNeighbours(model: EaseModel, k: number): ItemNeighbours {
  const n = model.nItems;
  const keep = Math.min(k, Math.max(0, n - 1));
  const offsets = new Int32Array(n + 1);
  const neighbours = new Int32Array(n * keep);
  const similarities = new Float32Array(n * keep);
  // One buffer of each for every row: a copy per row was 4n² bytes of garbage per fit.
  const row = new Float32Array(n);
  const magnitudes = new Float32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    model.weightRow(i, row);
    for (let j = 0; j < n; j++) magnitudes[j] = Math.abs(row[j]!);
    for (const j of topK(magnitudes, keep, (c) => c === i || row[c] === 0)) {
      neighbours[at] = j;
      similarities[at] = row[j]!;
      at++;
    }
    offsets[i + 1] = at;
  }
  return { nItems: n, offsets, neighbours: neighbours.slice(0, at), similarities: similarities.slice(0, at) };
}

/**
 * Adds XᵀX (rows weighted by |history|^-userPower) to g: the whole n × n square, or its upper
 * triangle packed by rows.
 */
function addGram(train: Csr, g: Float64Array | Float32Array, userPower: number, layout: 'square' | 'packed'): void {
  const n = train.nCols;
  for (let u = 0; u < train.nRows; u++) {
    const start = train.indptr[u]!;
    const end = train.indptr[u + 1]!;
    const w = userPower ? Math.pow(Math.max(1, end - start), -userPower) : 1;
    for (let p = start; p < end; p++) {
      const item = train.indices[p]!;
      const row = layout === 'packed' ? packedRowBase(item, n) : item * n;
      // Columns within a row are sorted, so q ≥ p is the upper triangle.
      for (let q = layout === 'packed' ? p : start; q < end; q++) g[row + train.indices[q]!]! += w;
    }
  }
}
