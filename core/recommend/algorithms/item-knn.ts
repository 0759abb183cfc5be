import { type Csr, transpose } from '../data/csr.js';
import { topK } from '../data/top-k.js';
import type { TopNModel } from './top-n-model.js';

/** Sparse item → neighbour lists: item i's neighbours are `neighbours[offsets[i]..offsets[i+1])`. */
export interface ItemNeighbours {
  nItems: number;
  offsets: Int32Array;
  neighbours: Int32Array;
  similarities: Float32Array;
}

export interface ItemKnnOptions {
  /** Neighbours kept per item. */
  k: number;
  /** Shrinks similarities of rarely co-occurring pairs: sim × n / (n + shrink). */
  shrink?: number;
  /** Exponent on the similarity when scoring (sharpens the strongest neighbours). */
  alpha?: number;
  onProgress?: (fraction: number) => void;
}

/**
 * Cosine item-item similarities from a user × item matrix, keeping the top `k` neighbours per item.
 * Memory is O(items × k): one dense scratch row at a time, so 10,000+ items are fine.
 *
 * @example
 * const nb = itemNeighbours(train, { k: 50 }); // nb.neighbours for item 0 are its 50 closest items
 */
export function itemNeighbours(userItems: Csr, options: ItemKnnOptions): ItemNeighbours {
  const itemUsers = transpose(userItems);
  const nItems = userItems.nCols;
  const norms = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) norms[i] = Math.sqrt(itemUsers.indptr[i + 1]! - itemUsers.indptr[i]!);
  const k = Math.min(options.k, Math.max(0, nItems - 1));
  const offsets = new Int32Array(nItems + 1);
  const neighbours = new Int32Array(nItems * k);
  const similarities = new Float32Array(nItems * k);
  const co = new Float64Array(nItems);
  const touched: number[] = [];
  const shrink = options.shrink ?? 0;
  let n = 0;
  for (let i = 0; i < nItems; i++) {
    for (let p = itemUsers.indptr[i]!; p < itemUsers.indptr[i + 1]!; p++) {
      const u = itemUsers.indices[p]!;
      for (let q = userItems.indptr[u]!; q < userItems.indptr[u + 1]!; q++) {
        const j = userItems.indices[q]!;
        if (j === i) continue;
        if (co[j] === 0) touched.push(j);
        co[j]! += 1;
      }
    }
    for (const j of touched) {
      const c = co[j]!;
      co[j] = (c / (norms[i]! * norms[j]!)) * (shrink > 0 ? c / (c + shrink) : 1);
    }
    const best = touched.length <= k ? touched.sort((a, b) => co[b]! - co[a]! || a - b) : topK(co, k, (j) => j === i);
    for (const j of best) {
      if (co[j]! <= 0) continue;
      neighbours[n] = j;
      similarities[n] = co[j]!;
      n++;
    }
    offsets[i + 1] = n;
    for (const j of touched) co[j] = 0;
    touched.length = 0;
    if (options.onProgress && (i % 500 === 0 || i === nItems - 1)) options.onProgress((i + 1) / nItems);
  }
  return { nItems, offsets, neighbours: neighbours.slice(0, n), similarities: similarities.slice(0, n) };
}

/**
 * Adds `weight × sim^alpha` of each history item's neighbours into `out`.
 *
 * @example
 * scoreFromNeighbours(nb, [3, 7], scores)
 */
export function scoreFromNeighbours(nb: ItemNeighbours, history: ArrayLike<number>, out: Float64Array, alpha = 1, weights?: ArrayLike<number>): void {
  for (let h = 0; h < history.length; h++) {
    const i = history[h]!;
    if (i < 0 || i >= nb.nItems) continue;
    const w = weights ? weights[h]! : 1;
    for (let p = nb.offsets[i]!; p < nb.offsets[i + 1]!; p++) {
      const s = nb.similarities[p]!;
      out[nb.neighbours[p]!]! += w * (alpha === 1 ? s : Math.pow(s, alpha));
    }
  }
}

/**
 * Item-based collaborative filtering: "people who took this also took …".
 *
 * @example
 * const knn = new ItemKnnModel({ k: 100 }); knn.fit(train);
 */
export class ItemKnnModel implements TopNModel {
  readonly name: string;
  nb: ItemNeighbours | null = null;

  constructor(private readonly options: ItemKnnOptions) {
    this.name = `item-knn(k=${options.k})`;
  }

  fit(train: Csr): void {
    this.nb = itemNeighbours(train, this.options);
  }

  scoreHistory(history: ArrayLike<number>, out: Float64Array): void {
    out.fill(0);
    if (this.nb) scoreFromNeighbours(this.nb, history, out, this.options.alpha ?? 1);
  }
}
