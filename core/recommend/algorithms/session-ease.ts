import type { Csr } from '../data/csr.js';
import { invertSpdInPlace } from './spd-inverse.js';
import type { InteractionContext, TopNModel } from './top-n-model.js';

export interface SessionEaseOptions {
  /** L2 regularisation, as in plain EASE; 400 suits MovieLens-100K. */
  lambda: number;
  /**
   * Weight of the session co-occurrence added to the Gram matrix, in [0, 1] (1 keeps the Gram
   * positive semi-definite before regularisation); 0 is plain EASE.
   */
  sessionWeight: number;
  /** Time constant of the session kernel exp(−|Δt| / tau), in seconds. */
  sessionTauS: number;
  /** Extra weight per rating step above `neutralRating` when scoring a user's history; 0 ignores ratings. */
  likeBoost?: number;
  /** The rating that counts as a plain positive (3 on a 1–5 scale). */
  neutralRating?: number;
}

/** Pairs further apart than this many time constants add less than e^-20 and are skipped. */
const KERNEL_CUTOFF = 20;

/**
 * Sums exp(−|t_a − t_b| / tau) over every pair of distinct entries (a, b) in the same row whose
 * timestamps are known, into a dense nCols × nCols matrix (symmetric, zero diagonal): how often two
 * items were taken in the same sitting.
 *
 * @example
 * // one user took items 0 and 1 one time constant apart
 * sessionCooccurrence(csrFromPairs(1, 2, [0, 0], [0, 1]), Float64Array.of(0, 60), 60) // [0, e^-1, e^-1, 0]
 */
export function sessionCooccurrence(train: Csr, timesS: Float64Array, tauS: number): Float64Array {
  const n = train.nCols;
  const out = new Float64Array(n * n);
  const horizon = KERNEL_CUTOFF * tauS;
  for (let u = 0; u < train.nRows; u++) {
    const start = train.indptr[u]!;
    const end = train.indptr[u + 1]!;
    const order: number[] = [];
    for (let p = start; p < end; p++) if (Number.isFinite(timesS[p]!)) order.push(p);
    order.sort((a, b) => timesS[a]! - timesS[b]!);
    // A sliding window over the time-sorted row keeps this O(entries × window) for long histories.
    for (let x = 0; x < order.length; x++) {
      const pa = order[x]!;
      const ta = timesS[pa]!;
      const rowA = train.indices[pa]! * n;
      for (let y = x + 1; y < order.length; y++) {
        const pb = order[y]!;
        const dt = timesS[pb]! - ta;
        if (dt > horizon) break;
        const w = Math.exp(-dt / tauS);
        const b = train.indices[pb]!;
        out[rowA + b]! += w;
        out[b * n + train.indices[pa]!]! += w;
      }
    }
  }
  return out;
}

/**
 * Session-aware EASE: EASE (Steck 2019) whose Gram matrix XᵀX is enriched with how often two items
 * were taken close together in time by the same user (kernel exp(−|Δt|/tau)), so items of the same
 * sitting reinforce each other; when scoring, well-rated history items weigh
 * `1 + likeBoost · max(0, rating − neutralRating)`. Without timestamps or ratings it is plain EASE.
 *
 * `npm run eval` chooses sessionWeight and likeBoost per outer fold on an inner validation split
 * of that fold's training rows (nested); weights above 1 or tau of hours lose accuracy. Cost is
 * plain EASE's (one dense n × n inversion) plus a pass over pairs of each user's entries within
 * 20 tau of each other.
 *
 * @example
 * const model = new SessionEaseModel({ lambda: 400, sessionWeight: 0.75, sessionTauS: 60, likeBoost: 0.2 });
 * model.fit(train, { timesS, ratings }); model.scoreHistory(history, scores, historyRatings);
 */
export class SessionEaseModel implements TopNModel {
  readonly name: string;
  weights = new Float32Array(0);
  nItems = 0;

  private readonly lambda: number;
  private readonly sessionWeight: number;
  private readonly sessionTauS: number;
  private readonly likeBoost: number;
  private readonly neutralRating: number;

  constructor(options: SessionEaseOptions) {
    if (!(options.sessionWeight >= 0 && options.sessionWeight <= 1)) throw new RangeError(`sessionWeight must be in [0, 1] to keep the Gram matrix positive definite; got ${options.sessionWeight}`);
    if (!(options.sessionTauS > 0)) throw new RangeError(`sessionTauS must be a positive number of seconds; got ${options.sessionTauS}`);
    this.lambda = options.lambda;
    this.sessionWeight = options.sessionWeight;
    this.sessionTauS = options.sessionTauS;
    this.likeBoost = options.likeBoost ?? 0;
    this.neutralRating = options.neutralRating ?? 3;
    this.name = `session-ease(lambda=${this.lambda},session=${this.sessionWeight},tau=${this.sessionTauS}s,like=${this.likeBoost})`;
  }

  fit(train: Csr, context?: InteractionContext): void {
    const n = train.nCols;
    const g = context?.timesS && this.sessionWeight > 0 ? sessionCooccurrence(train, context.timesS, this.sessionTauS) : new Float64Array(n * n);
    if (this.sessionWeight !== 1) for (let e = 0; e < g.length; e++) g[e]! *= this.sessionWeight;
    for (let u = 0; u < train.nRows; u++) {
      const start = train.indptr[u]!;
      const end = train.indptr[u + 1]!;
      for (let p = start; p < end; p++) {
        const row = train.indices[p]! * n;
        for (let q = start; q < end; q++) g[row + train.indices[q]!]! += 1;
      }
    }
    for (let i = 0; i < n; i++) g[i * n + i]! += this.lambda;
    invertSpdInPlace(g, n);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -g[i * n + j]! / g[j * n + j]!;
    }
    this.weights = b;
    this.nItems = n;
  }

  scoreHistory(history: ArrayLike<number>, out: Float64Array, historyRatings?: ArrayLike<number>): void {
    const n = this.nItems;
    out.fill(0);
    for (let h = 0; h < history.length; h++) {
      const rating = historyRatings?.[h];
      const weight = rating !== undefined && Number.isFinite(rating) ? 1 + this.likeBoost * Math.max(0, rating - this.neutralRating) : 1;
      const row = history[h]! * n;
      for (let j = 0; j < n; j++) out[j]! += weight * this.weights[row + j]!;
    }
  }
}
