import type { InteractionContext, TopNModel } from '../algorithms/top-n-model.js';
import { csrFromPairs, rowOf, type Csr } from '../data/csr.js';
import { topK } from '../data/top-k.js';
import { meanMetrics, rankingMetrics, type RankingMetrics } from './metrics.js';
import type { Fold, InteractionTable } from './split.js';

export interface ModelReport extends RankingMetrics {
  name: string;
  /** Share of the catalogue that appears in at least one user's top-K (mean over folds). */
  coverage: number;
  /** Mean training time per fold. */
  train_ms: number;
}

export interface EvaluateOptions {
  k: number;
  onProgress?: (event: { model: string; fold: number; folds: number; fraction: number }) => void;
}

const KEYS = ['precision', 'recall', 'ndcg', 'map', 'mrr'] as const;

/** Timestamps above this are taken as milliseconds (1e11 s is the year 5138). */
const MILLISECONDS_THRESHOLD = 1e11;

/**
 * Lines up the table's timestamps (as seconds) and ratings of the `rows` with the stored entries of
 * `train` (built from the same rows), so models can read them per entry; a repeated (user, item)
 * keeps its latest row.
 */
function trainingContext(table: InteractionTable, rows: Int32Array, train: Csr): InteractionContext {
  const nItems = train.nCols;
  const rowOfEntry = new Map<number, number>();
  for (const r of rows) {
    const key = table.users[r]! * nItems + table.items[r]!;
    const previous = rowOfEntry.get(key);
    if (previous === undefined || !(table.timestamps[previous]! > table.timestamps[r]!)) rowOfEntry.set(key, r);
  }
  const timesS = new Float64Array(train.indices.length);
  const ratings = new Float64Array(train.indices.length);
  for (let u = 0; u < train.nRows; u++) {
    for (let p = train.indptr[u]!; p < train.indptr[u + 1]!; p++) {
      const r = rowOfEntry.get(u * nItems + train.indices[p]!)!;
      const t = table.timestamps[r]!;
      timesS[p] = t > MILLISECONDS_THRESHOLD ? t / 1000 : t;
      ratings[p] = table.ratings ? table.ratings[r]! : Number.NaN;
    }
  }
  return { timesS, ratings };
}

/**
 * Evaluates one model on prepared folds: fit on train, rank every item except the user's training
 * items, compare the top K with the user's test items; users without test items are skipped; the
 * result is the mean over folds of the mean over users.
 *
 * @example
 * const report = evaluateModel(() => new EaseModel(300), table, kFoldSplit(table.users.length, 5, 1), { k: 10 });
 */
export function evaluateModel(makeModel: () => TopNModel, table: InteractionTable, folds: readonly Fold[], options: EvaluateOptions): ModelReport {
  const nUsers = table.userIds.length;
  const nItems = table.itemIds.length;
  const perFold: Array<RankingMetrics & { coverage: number; train_ms: number }> = [];
  let name = '';
  folds.forEach((fold, f) => {
    const model = makeModel();
    name = model.name;
    const pick = (rows: Int32Array, of: Int32Array) => Int32Array.from(rows, (r) => of[r]!);
    const train = csrFromPairs(nUsers, nItems, pick(fold.train, table.users), pick(fold.train, table.items));
    const test = csrFromPairs(nUsers, nItems, pick(fold.test, table.users), pick(fold.test, table.items));
    const context = trainingContext(table, fold.train, train);
    const started = performance.now();
    model.fit(train, context);
    const trainMs = performance.now() - started;
    const scores = new Float64Array(nItems);
    const seen = new Uint8Array(nItems);
    const recommended = new Uint8Array(nItems);
    const users: RankingMetrics[] = [];
    for (let u = 0; u < nUsers; u++) {
      const target = rowOf(test, u);
      if (target.length === 0) continue;
      const history = rowOf(train, u);
      model.scoreHistory(history, scores, context.ratings!.subarray(train.indptr[u]!, train.indptr[u + 1]!));
      for (const i of history) seen[i] = 1;
      const list = topK(scores, options.k, (i) => seen[i] === 1);
      for (const i of history) seen[i] = 0;
      for (const i of list) recommended[i] = 1;
      users.push(rankingMetrics(list, new Set(target)));
      if (options.onProgress && u % 100 === 0) options.onProgress({ model: name, fold: f, folds: folds.length, fraction: (f + u / nUsers) / folds.length });
    }
    const coverage = recommended.reduce((s, v) => s + v, 0) / nItems;
    perFold.push({ ...(meanMetrics(users as unknown as Array<Record<(typeof KEYS)[number], number>>, KEYS) as RankingMetrics), coverage, train_ms: trainMs });
  });
  options.onProgress?.({ model: name, fold: folds.length, folds: folds.length, fraction: 1 });
  const mean = meanMetrics(perFold as unknown as Array<Record<(typeof KEYS)[number] | 'coverage' | 'train_ms', number>>, [...KEYS, 'coverage', 'train_ms']);
  return { name, ...mean };
}
