import { seededRandom } from '../data/top-k.js';

/** Interactions as parallel arrays of dense user and item indices (one row per interaction). */
export interface InteractionTable {
  userIds: string[];
  itemIds: string[];
  users: Int32Array;
  items: Int32Array;
  /** Seconds or milliseconds since the epoch; NaN when unknown. */
  timestamps: Float64Array;
  /** Explicit rating of each row (e.g. 1–5 stars); NaN when unknown; absent when the source has none. */
  ratings?: Float64Array;
}

/** Row indices of one train/test split. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Gorse's protocol: shuffle interactions with a seeded generator and cut them into `k` folds; fold f
 * tests on slice f and trains on the rest.
 *
 * @example
 * const folds = kFoldSplit(100_000, 5, 1); // folds[0].test.length === 20_000
 */
export function kFoldSplit(nRows: number, k: number, seed: number): Fold[] {
  const random = seededRandom(seed);
  const order = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) order[i] = i;
  for (let i = nRows - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const start = Math.floor((f * nRows) / k);
    const end = Math.floor(((f + 1) * nRows) / k);
    const test = order.slice(start, end);
    const train = new Int32Array(nRows - test.length);
    train.set(order.subarray(0, start));
    train.set(order.subarray(end), start);
    folds.push({ train, test });
  }
  return folds;
}

/**
 * Temporal hold-out: each user's latest `fraction` of interactions (by timestamp, at least one when
 * the user has two or more) are the test set.
 *
 * @example
 * const [fold] = temporalSplit(table, 0.2);
 */
export function temporalSplit(table: Pick<InteractionTable, 'users' | 'timestamps'>, fraction: number): Fold[] {
  const byUser = new Map<number, number[]>();
  for (let r = 0; r < table.users.length; r++) {
    const list = byUser.get(table.users[r]!) ?? [];
    list.push(r);
    byUser.set(table.users[r]!, list);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byUser.values()) {
    rows.sort((a, b) => (table.timestamps[a] ?? 0) - (table.timestamps[b] ?? 0) || a - b);
    const nTest = rows.length < 2 ? 0 : Math.max(1, Math.round(rows.length * fraction));
    train.push(...rows.slice(0, rows.length - nTest));
    test.push(...rows.slice(rows.length - nTest));
  }
  return [{ train: Int32Array.from(train), test: Int32Array.from(test) }];
}

/**
 * Global time hold-out, the retrain's own situation: everything from the moment the first
 * `1 − fraction` of all interactions (by timestamp) had happened is the test set, for the users who
 * had an interaction before that moment (a user first seen after it has no history to recommend
 * from); every interaction before it trains. Unlike {@link temporalSplit}, where one user's test
 * rows can be older than another's training rows, the model knows only the past, as the nightly
 * retrain does.
 *
 * @example
 * const [fold] = globalTimeSplit(table, 0.2);
 */
export function globalTimeSplit(table: Pick<InteractionTable, 'users' | 'timestamps'>, fraction: number): Fold[] {
  const order = Array.from(table.users, (_, r) => r).sort((a, b) => (table.timestamps[a] ?? 0) - (table.timestamps[b] ?? 0) || a - b);
  const cut = table.timestamps[order[Math.min(order.length - 1, Math.floor(order.length * (1 - fraction)))]!] ?? 0;
  const train = order.filter((r) => table.timestamps[r]! < cut);
  const known = new Set(train.map((r) => table.users[r]!));
  const test = order.filter((r) => table.timestamps[r]! >= cut && known.has(table.users[r]!));
  return [{ train: Int32Array.from(train), test: Int32Array.from(test) }];
}
