import { type Csr, transpose } from '../data/csr.js';
import { topK } from '../data/top-k.js';
import type { TopNModel } from './top-n-model.js';

export interface UserKnnOptions {
  /** Neighbouring users that vote. */
  k: number;
  /** Exponent on the cosine similarity of a neighbour's vote. */
  alpha?: number;
}

/**
 * User-based collaborative filtering from a history alone: finds the training users whose item sets
 * are closest (cosine) to the given history and sums their items, weighted by similarity. Needs no
 * user id, so it also serves a follower whose history changed a second ago.
 *
 * @example
 * const users = new UserKnnModel({ k: 50 }); users.fit(train); users.scoreHistory([3, 8], scores);
 */
export class UserKnnModel implements TopNModel {
  readonly name: string;
  private train: Csr | null = null;
  private itemUsers: Csr | null = null;
  private overlap = new Float64Array(0);

  constructor(private readonly options: UserKnnOptions) {
    this.name = `user-knn(k=${options.k})`;
  }

  fit(train: Csr): void {
    this.train = train;
    this.itemUsers = transpose(train);
    this.overlap = new Float64Array(train.nRows);
  }

  scoreHistory(history: ArrayLike<number>, out: Float64Array): void {
    out.fill(0);
    const train = this.train;
    const itemUsers = this.itemUsers;
    if (!train || !itemUsers || history.length === 0) return;
    const overlap = this.overlap;
    const touched: number[] = [];
    for (let h = 0; h < history.length; h++) {
      const i = history[h]!;
      if (i < 0 || i >= itemUsers.nRows) continue;
      for (let p = itemUsers.indptr[i]!; p < itemUsers.indptr[i + 1]!; p++) {
        const v = itemUsers.indices[p]!;
        if (overlap[v] === 0) touched.push(v);
        overlap[v]! += 1;
      }
    }
    const norm = Math.sqrt(history.length);
    for (const v of touched) overlap[v] = overlap[v]! / (norm * Math.sqrt(train.indptr[v + 1]! - train.indptr[v]!));
    const neighbours = topK(overlap, this.options.k, (v) => overlap[v] === 0 || overlap[v]! >= 0.999999);
    const alpha = this.options.alpha ?? 1;
    for (const v of neighbours) {
      const w = Math.pow(overlap[v]!, alpha);
      for (let p = train.indptr[v]!; p < train.indptr[v + 1]!; p++) out[train.indices[p]!]! += w;
    }
    for (const v of touched) overlap[v] = 0;
  }
}
