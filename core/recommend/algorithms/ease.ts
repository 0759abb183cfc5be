import type { Csr } from '../data/csr.js';
import { topK } from '../data/top-k.js';
import type { ItemNeighbours } from './item-knn.js';
import type { TopNModel } from './top-n-model.js';

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

export interface EaseOptions {
  /** L2 regularisation; 200–500 suits MovieLens-100K. */
  lambda: number;
  /** Emphasised-denoising dropout probability (EDLAE); 0 is plain EASE. */
  dropout?: number;
  /** Weights each user's co-occurrences by |history|^-userPower, so very active users count less. */
  userPower?: number;
  onProgress?: (fraction: number) => void;
}

/**
 * EASE (Steck 2019): a closed-form item-item model. B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹,
 * diagonal forced to 0. Dense in items, so meant for catalogues up to a few thousand items.
 *
 * @example
 * const ease = new EaseModel({ lambda: 300 }); ease.fit(train); ease.scoreHistory([1, 5], scores);
 */
export class EaseModel implements TopNModel {
  readonly name: string;
  weights = new Float32Array(0);
  nItems = 0;

  readonly lambda: number;
  private readonly dropout: number;
  private readonly userPower: number;
  private readonly onProgress?: (fraction: number) => void;

  constructor(options: EaseOptions) {
    this.lambda = options.lambda;
    this.dropout = options.dropout ?? 0;
    this.userPower = options.userPower ?? 0;
    this.onProgress = options.onProgress;
    this.name = `ease(lambda=${this.lambda}${this.dropout ? `,dropout=${this.dropout}` : ''}${this.userPower ? `,userPower=${this.userPower}` : ''})`;
  }

  fit(train: Csr): void {
    const n = train.nCols;
    const g = new Float64Array(n * n);
    for (let u = 0; u < train.nRows; u++) {
      const start = train.indptr[u]!;
      const end = train.indptr[u + 1]!;
      const w = this.userPower ? Math.pow(Math.max(1, end - start), -this.userPower) : 1;
      for (let p = start; p < end; p++) {
        const row = train.indices[p]! * n;
        for (let q = start; q < end; q++) g[row + train.indices[q]!]! += w;
      }
    }
    // EDLAE (Steck 2020): dropout adds a penalty proportional to each item's own weight on the diagonal.
    const emphasis = this.dropout > 0 ? this.dropout / (1 - this.dropout) : 0;
    for (let i = 0; i < n; i++) g[i * n + i]! += this.lambda + emphasis * g[i * n + i]!;
    invertSpdInPlace(g, n, this.onProgress);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -g[i * n + j]! / g[j * n + j]!;
    }
    this.weights = b;
    this.nItems = n;
  }

  scoreHistory(history: ArrayLike<number>, out: Float64Array): void {
    const n = this.nItems;
    out.fill(0);
    for (let h = 0; h < history.length; h++) {
      const row = history[h]! * n;
      for (let j = 0; j < n; j++) out[j]! += this.weights[row + j]!;
    }
  }
}

/**
 * The `k` largest positive weights of each row of a fitted EASE model, as neighbour lists: what
 * the served artifact stores (a dense n × n matrix would not fit in it), scored like item-kNN.
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
  let at = 0;
  for (let i = 0; i < n; i++) {
    const row = model.weights.subarray(i * n, (i + 1) * n);
    for (const j of topK(row, keep, (c) => c === i || !(row[c]! > 0))) {
      neighbours[at] = j;
      similarities[at] = row[j]!;
      at++;
    }
    offsets[i + 1] = at;
  }
  return { nItems: n, offsets, neighbours: neighbours.slice(0, at), similarities: similarities.slice(0, at) };
}
