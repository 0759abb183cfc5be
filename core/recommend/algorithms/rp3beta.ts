import { type Csr, transpose } from '../data/csr.js';
import { topK } from '../data/top-k.js';
import type { ItemNeighbours } from './item-knn.js';
import { scoreFromNeighbours } from './item-knn.js';
import type { TopNModel } from './top-n-model.js';

export interface Rp3BetaOptions {
  /** Neighbours kept per item. */
  k: number;
  /** Exponent on the transition probabilities (1 is the plain random walk). */
  alpha?: number;
  /** Popularity penalty: the weight of j is divided by popularity(j)^beta. */
  beta: number;
  onProgress?: (fraction: number) => void;
}

/**
 * RP3β (Paudel et al. 2017): a three-step random walk item → user → item, with transition
 * probabilities raised to `alpha`, each target divided by its popularity to the power `beta` so
 * niche items are not drowned by the blockbusters; the top `k` targets per item are kept.
 * Memory O(items × k), one dense scratch row at a time, like item-kNN.
 *
 * @example
 * const nb = rp3betaNeighbours(train, { k: 100, beta: 0.5 });
 */
export function rp3betaNeighbours(userItems: Csr, options: Rp3BetaOptions): ItemNeighbours {
  const itemUsers = transpose(userItems);
  const nItems = userItems.nCols;
  const alpha = options.alpha ?? 1;
  const itemDegree = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) itemDegree[i] = itemUsers.indptr[i + 1]! - itemUsers.indptr[i]!;
  const penalty = Float64Array.from(itemDegree, (d) => (d > 0 ? Math.pow(d, -options.beta) : 0));
  const k = Math.min(options.k, Math.max(0, nItems - 1));
  const offsets = new Int32Array(nItems + 1);
  const neighbours = new Int32Array(nItems * k);
  const similarities = new Float32Array(nItems * k);
  const walk = new Float64Array(nItems);
  const touched: number[] = [];
  let n = 0;
  for (let i = 0; i < nItems; i++) {
    const fromItem = itemDegree[i]! > 0 ? Math.pow(1 / itemDegree[i]!, alpha) : 0;
    for (let p = itemUsers.indptr[i]!; p < itemUsers.indptr[i + 1]!; p++) {
      const u = itemUsers.indices[p]!;
      const degree = userItems.indptr[u + 1]! - userItems.indptr[u]!;
      const step = fromItem * Math.pow(1 / degree, alpha);
      for (let q = userItems.indptr[u]!; q < userItems.indptr[u + 1]!; q++) {
        const j = userItems.indices[q]!;
        if (j === i) continue;
        if (walk[j] === 0) touched.push(j);
        walk[j]! += step;
      }
    }
    for (const j of touched) walk[j] = walk[j]! * penalty[j]!;
    const best = touched.length <= k ? touched.sort((a, b) => walk[b]! - walk[a]! || a - b) : topK(walk, k, (j) => j === i);
    // Rows are scaled so the strongest target is 1: the walk's raw mass shrinks with popularity.
    const top = best.length ? walk[best[0]!]! : 0;
    for (const j of best) {
      if (!(walk[j]! > 0)) continue;
      neighbours[n] = j;
      similarities[n] = walk[j]! / top;
      n++;
    }
    offsets[i + 1] = n;
    for (const j of touched) walk[j] = 0;
    touched.length = 0;
    if (options.onProgress && (i % 500 === 0 || i === nItems - 1)) options.onProgress((i + 1) / nItems);
  }
  return { nItems, offsets, neighbours: neighbours.slice(0, n), similarities: similarities.slice(0, n) };
}

/**
 * RP3β as a top-N model: the sum of each history item's walk targets.
 *
 * @example
 * const rp3 = new Rp3BetaModel({ k: 100, beta: 0.5 }); rp3.fit(train); rp3.scoreHistory([2, 9], scores);
 */
export class Rp3BetaModel implements TopNModel {
  readonly name: string;
  private nb: ItemNeighbours | null = null;

  constructor(private readonly options: Rp3BetaOptions) {
    this.name = `rp3beta(k=${options.k},beta=${options.beta})`;
  }

  fit(train: Csr): void {
    this.nb = rp3betaNeighbours(train, this.options);
  }

  scoreHistory(history: ArrayLike<number>, out: Float64Array): void {
    out.fill(0);
    if (this.nb) scoreFromNeighbours(this.nb, history, out);
  }
}
