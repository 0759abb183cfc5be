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
  /**
   * Standard deviation over folds; with one fold (the temporal split), the standard error of the
   * mean over test users instead (`spreadKind` says which).
   */
  spread: { precision: number; ndcg: number };
  spreadKind: 'folds' | 'users';
  /** Per fold, what was chosen on the inner validation split (nested selection), when anything was. */
  chosen?: string[];
}

export interface EvaluateOptions {
  k: number;
  onProgress?: (event: { model: string; fold: number; folds: number; fraction: number }) => void;
}

/** One fold's metrics (mean over its test users), with the standard error of those means. */
export type FoldResult = RankingMetrics & { coverage: number; train_ms: number; standardError: { precision: number; ndcg: number } };

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

/** The train and test matrices of one fold, and what is known of each training entry. */
export function foldMatrices(table: InteractionTable, fold: Fold): { train: Csr; test: Csr; context: InteractionContext } {
  const nUsers = table.userIds.length;
  const nItems = table.itemIds.length;
  const pick = (rows: Int32Array, of: Int32Array) => Int32Array.from(rows, (r) => of[r]!);
  const train = csrFromPairs(nUsers, nItems, pick(fold.train, table.users), pick(fold.train, table.items));
  const test = csrFromPairs(nUsers, nItems, pick(fold.test, table.users), pick(fold.test, table.items));
  return { train, test, context: trainingContext(table, fold.train, train) };
}

/**
 * Scores one fold: for every user with test items, asks `listFor` for a top-K list (which must leave
 * out the user's training items) and compares it with the user's test items.
 */
export function scoreFold(train: Csr, test: Csr, k: number, trainMs: number, listFor: (user: number, history: Int32Array) => number[], onUser?: (user: number) => void): FoldResult {
  const recommended = new Uint8Array(train.nCols);
  const users: RankingMetrics[] = [];
  for (let u = 0; u < train.nRows; u++) {
    const target = rowOf(test, u);
    if (target.length === 0) continue;
    const list = listFor(u, rowOf(train, u)).slice(0, k);
    for (const i of list) recommended[i] = 1;
    users.push(rankingMetrics(list, new Set(target)));
    onUser?.(u);
  }
  const coverage = recommended.reduce((s, v) => s + v, 0) / train.nCols;
  const mean = meanMetrics(users as unknown as Array<Record<(typeof KEYS)[number], number>>, KEYS) as RankingMetrics;
  const standardError = (key: 'precision' | 'ndcg') => standardDeviation(users.map((u) => u[key])) / Math.sqrt(users.length || 1);
  return { ...mean, coverage, train_ms: trainMs, standardError: { precision: standardError('precision'), ndcg: standardError('ndcg') } };
}

/** Sample standard deviation (0 for fewer than two values). */
function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/** Mean and spread over folds (over test users when there is one fold). */
export function summariseFolds(name: string, perFold: readonly FoldResult[], chosen?: string[]): ModelReport {
  const mean = meanMetrics(perFold as unknown as Array<Record<(typeof KEYS)[number] | 'coverage' | 'train_ms', number>>, [...KEYS, 'coverage', 'train_ms']);
  const std = (key: 'precision' | 'ndcg') => (perFold.length < 2 ? perFold[0]?.standardError[key] ?? 0 : standardDeviation(perFold.map((f) => f[key])));
  return { name, ...mean, spread: { precision: std('precision'), ndcg: std('ndcg') }, spreadKind: perFold.length < 2 ? 'users' : 'folds', ...(chosen ? { chosen } : {}) };
}

/**
 * Evaluates one model on prepared folds: fit on train, rank every item except the user's training
 * items, compare the top K with the user's test items; users without test items are skipped; the
 * result is the mean over folds of the mean over users, with the spread over folds.
 *
 * @example
 * const report = evaluateModel(() => new EaseModel(300), table, kFoldSplit(table.users.length, 5, 1), { k: 10 });
 */
export function evaluateModel(makeModel: () => TopNModel, table: InteractionTable, folds: readonly Fold[], options: EvaluateOptions): ModelReport {
  const perFold: FoldResult[] = [];
  let name = '';
  folds.forEach((fold, f) => {
    const model = makeModel();
    name = model.name;
    perFold.push(evaluateOnFold(model, table, fold, options.k, (u) => {
      if (options.onProgress && u % 100 === 0) options.onProgress({ model: name, fold: f, folds: folds.length, fraction: (f + u / table.userIds.length) / folds.length });
    }));
  });
  options.onProgress?.({ model: name, fold: folds.length, folds: folds.length, fraction: 1 });
  return summariseFolds(name, perFold);
}

/** Fits `model` on the fold's training rows and scores it on its test rows. */
export function evaluateOnFold(model: TopNModel, table: InteractionTable, fold: Fold, k: number, onUser?: (user: number) => void): FoldResult {
  const { train, test, context } = foldMatrices(table, fold);
  const started = performance.now();
  model.fit(train, context);
  const trainMs = performance.now() - started;
  const scores = new Float64Array(train.nCols);
  const seen = new Uint8Array(train.nCols);
  return scoreFold(train, test, k, trainMs, (u, history) => {
    model.scoreHistory(history, scores, context.ratings!.subarray(train.indptr[u]!, train.indptr[u + 1]!));
    for (const i of history) seen[i] = 1;
    const list = topK(scores, k, (i) => seen[i] === 1);
    for (const i of history) seen[i] = 0;
    return list;
  }, onUser);
}
