/** Ranking quality of one user's top-K list. */
export interface RankingMetrics {
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  mrr: number;
}

/**
 * Gorse's definitions: precision = hits / |list|; recall = hits / |test|; NDCG with binary gains and
 * IDCG over min(|test|, |list|) positions; MAP = Σ precision@hit / |test| (divided by the number of
 * test items, not hits); MRR = 1 / rank of the first hit.
 *
 * @example
 * rankingMetrics([5, 9, 2], new Set([9])) // { precision: 1/3, recall: 1, ndcg: 1/log2(3), map: 0.5, mrr: 0.5 }
 */
export function rankingMetrics(rankList: readonly number[], target: ReadonlySet<number>): RankingMetrics {
  if (target.size === 0 || rankList.length === 0) return { precision: 0, recall: 0, ndcg: 0, map: 0, mrr: 0 };
  let hits = 0;
  let dcg = 0;
  let sumPrecision = 0;
  let mrr = 0;
  rankList.forEach((item, i) => {
    if (!target.has(item)) return;
    hits++;
    dcg += 1 / Math.log2(i + 2);
    sumPrecision += hits / (i + 1);
    if (mrr === 0) mrr = 1 / (i + 1);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(target.size, rankList.length); i++) idcg += 1 / Math.log2(i + 2);
  return {
    precision: hits / rankList.length,
    recall: hits / target.size,
    ndcg: dcg / idcg,
    map: sumPrecision / target.size,
    mrr,
  };
}

/** Field-wise mean of several metric records (zeros for none). */
export function meanMetrics<K extends string>(records: ReadonlyArray<Record<K, number>>, keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of keys) out[key] = records.length ? records.reduce((s, r) => s + r[key], 0) / records.length : 0;
  return out;
}
