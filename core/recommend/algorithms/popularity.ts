import type { Csr } from '../data/csr.js';
import type { TopNModel } from './top-n-model.js';

/** How many users hold each item (column counts of a user × item matrix). */
export function itemCounts(m: Csr): Float64Array<ArrayBuffer> {
  const counts = new Float64Array(m.nCols);
  for (let p = 0; p < m.indices.length; p++) counts[m.indices[p]!]! += m.values ? m.values[p]! : 1;
  return counts;
}

/**
 * Most popular items: the same ranking for everybody. The baseline every other model must beat.
 *
 * @example
 * const pop = new PopularityModel(); pop.fit(train);
 */
export class PopularityModel implements TopNModel {
  readonly name = 'most-popular';
  counts: Float64Array = new Float64Array(0);

  fit(train: Csr): void {
    this.counts = itemCounts(train);
  }

  scoreHistory(_history: ArrayLike<number>, out: Float64Array): void {
    out.set(this.counts);
  }
}

/**
 * Time-decayed popularity: each interaction counts `0.5 ^ (age / halfLife)`, so what is rising now
 * outranks what was big last year.
 *
 * @example
 * trendingScores(items, times, nItems, Date.now(), 7 * 86_400_000)
 */
export function trendingScores(items: ArrayLike<number>, timesMs: ArrayLike<number>, nItems: number, nowMs: number, halfLifeMs: number): Float64Array {
  const scores = new Float64Array(nItems);
  for (let e = 0; e < items.length; e++) {
    const age = Math.max(0, nowMs - timesMs[e]!);
    scores[items[e]!]! += Math.pow(0.5, age / halfLifeMs);
  }
  return scores;
}
