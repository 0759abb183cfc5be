import type { Csr } from '../data/csr.js';

/**
 * What is known about each stored entry of a training matrix besides its presence, aligned with
 * `train.indices` (entry p of the matrix is `times[p]`, `ratings[p]`). Models that do not use it
 * ignore it.
 */
export interface InteractionContext {
  /** When the interaction happened, in seconds since the epoch; NaN when unknown. */
  timesS?: Float64Array;
  /** Explicit strength such as 1–5 stars; NaN when unknown. */
  ratings?: Float64Array;
}

/**
 * A candidate generator that learns from a user × item matrix of positives and scores every item
 * for one user's history. The offline harness and the production recommender share these.
 *
 * @example
 * model.fit(train); const scores = new Float64Array(train.nCols); model.scoreHistory(history, scores);
 */
export interface TopNModel {
  readonly name: string;
  fit(train: Csr, context?: InteractionContext): void;
  /**
   * Writes a score for every item into `out` (length = number of items), given the user's items and,
   * when known, the user's rating of each (aligned with `history`, NaN when unknown).
   */
  scoreHistory(history: ArrayLike<number>, out: Float64Array, historyRatings?: ArrayLike<number>): void;
}
