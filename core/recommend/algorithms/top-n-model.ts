import type { Csr } from '../data/csr.js';

/**
 * A candidate generator that learns from a user × item matrix of positives and scores every item
 * for one user's history. The offline harness and the production recommender share these.
 *
 * @example
 * model.fit(train); const scores = new Float64Array(train.nCols); model.scoreHistory(history, scores);
 */
export interface TopNModel {
  readonly name: string;
  fit(train: Csr): void;
  /** Writes a score for every item into `out` (length = number of items), given the user's items. */
  scoreHistory(history: ArrayLike<number>, out: Float64Array): void;
}
