import type { TopNModel } from '../algorithms/top-n-model.js';
import { seededRandom } from '../data/top-k.js';
import { evaluateOnFold, summariseFolds, type FoldResult, type ModelReport } from './evaluate.js';
import { globalTimeSplit, temporalSplit, type Fold, type InteractionTable } from './split.js';

/** `random`: Gorse's k-fold; `temporal`: each user's latest interactions; `global`: everything after one moment. */
export type Protocol = 'random' | 'temporal' | 'global';

/** A model with a grid of settings; nested selection picks one setting per outer fold. */
export interface ModelFamily {
  key: string;
  /** The family's name in reports, e.g. `ease (λ nested)`. */
  label: string;
  grid: Array<() => TopNModel>;
}

/** Share of the outer training rows held out to choose settings on. */
const INNER_HOLDOUT = 0.2;

/**
 * An inner validation split of one outer fold's training rows only (the outer test rows are never
 * seen): a seeded random 20 % for the random protocol, each user's latest 20 % for the temporal one,
 * the latest 20 % of all of them for the global one.
 *
 * @example
 * const inner = innerSplit(table, folds[0].train, 'random', 1);
 */
export function innerSplit(table: InteractionTable, trainRows: Int32Array, protocol: Protocol, seed: number): Fold {
  if (protocol !== 'random') {
    const split = protocol === 'temporal' ? temporalSplit : globalTimeSplit;
    const [inner] = split({ users: Int32Array.from(trainRows, (r) => table.users[r]!), timestamps: Float64Array.from(trainRows, (r) => table.timestamps[r]!) }, INNER_HOLDOUT);
    return { train: Int32Array.from(inner!.train, (i) => trainRows[i]!), test: Int32Array.from(inner!.test, (i) => trainRows[i]!) };
  }
  const order = Int32Array.from(trainRows);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nTest = Math.round(order.length * INNER_HOLDOUT);
  return { train: order.slice(nTest), test: order.slice(0, nTest) };
}

/**
 * Nested evaluation: on each outer fold, every setting of the family is fitted on the inner
 * training rows and scored (NDCG@k) on the inner validation rows; the best is refitted on the whole
 * outer training set and scored on the outer test set. The reported figure never chose anything.
 *
 * @example
 * const report = evaluateNested({ key: 'ease', label: 'ease (λ nested)', grid: [200, 500].map((l) => () => new EaseModel({ lambda: l })) }, table, folds, 'random', { k: 10 });
 */
export function evaluateNested(
  family: ModelFamily,
  table: InteractionTable,
  folds: readonly Fold[],
  protocol: Protocol,
  options: { k: number; seed?: number; onFold?: (fold: number) => void },
): ModelReport {
  const perFold: FoldResult[] = [];
  const chosen: string[] = [];
  folds.forEach((fold, f) => {
    let best = family.grid[0]!;
    if (family.grid.length > 1) {
      const inner = innerSplit(table, fold.train, protocol, (options.seed ?? 1) * 1000 + f);
      let bestNdcg = -Infinity;
      for (const make of family.grid) {
        const { ndcg } = evaluateOnFold(make(), table, inner, options.k);
        if (ndcg > bestNdcg) [bestNdcg, best] = [ndcg, make];
      }
    }
    const model = best();
    chosen.push(model.name);
    perFold.push(evaluateOnFold(model, table, fold, options.k));
    options.onFold?.(f);
  });
  return summariseFolds(family.label, perFold, chosen);
}
