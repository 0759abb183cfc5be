import { mmr } from '../rerank/mmr.js';
import { defaultRankerWeights, predictRanker, RANKER_FEATURES, type RankerFeature, type RankerWeights } from '../ranking/ranker.js';

/** Point-in-time rows of many moments: one feature row per candidate, its label, and its moment. */
export interface MomentRows {
  rows: number[][];
  labels: number[];
  groups: number[];
  /** The candidate's course id, per row. */
  ids: string[];
}

/** The blend weights that coordinate ascent may change; the hour and recency features rank no course above another. */
const TUNABLE: readonly RankerFeature[] = [
  'item_cf', 'ease', 'rp3beta', 'content', 'popularity', 'segment_popularity', 'trending', 'association_rules', 'interests', 'price_match', 'is_new',
];
const STEPS = [0, 0.25, 0.5, 2, 4] as const;
const PASSES = 3;

/**
 * Mean over moments of NDCG@10 of the candidates ordered by `scores` (binary gains): how well a
 * scorer puts what the follower took next at the top, which is what serving needs.
 *
 * @example
 * momentNdcg([0.9, 0.1], [1, 0], [0, 0]) // 1
 */
export function momentNdcg(scores: readonly number[], labels: readonly number[], groups: readonly number[]): number {
  return meanOf(momentNdcgs(scores, labels, groups));
}

/** The mean of per-moment figures (0 for none). */
export function meanOf(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/**
 * NDCG@10 of each moment (in the order moments first appear in `groups`), as {@link momentNdcg}
 * averages them; two scorers' lists pair up moment by moment.
 *
 * @example
 * momentNdcgs([0.9, 0.1, 0.1, 0.9], [1, 0, 1, 0], [0, 0, 1, 1]) // [1, 0.63]
 */
export function momentNdcgs(scores: readonly number[], labels: readonly number[], groups: readonly number[]): number[] {
  return ndcgsOfMoments(byMoment(groups), scores, labels);
}

function ndcgsOfMoments(moments: readonly (readonly number[])[], scores: ArrayLike<number>, labels: readonly number[]): number[] {
  return moments.map((members) => ndcgAt10([...members].sort(byScoreThenPessimistic(scores, labels)).map((i) => labels[i]!)));
}

/** How many standard errors a scorer must win by before it replaces a simpler one. */
export const CLEAR_WIN_STANDARD_ERRORS = 2;

/**
 * Whether `challenger` ranks the same moments better than `incumbent` by more than
 * {@link CLEAR_WIN_STANDARD_ERRORS} standard errors of the per-moment difference (a paired test).
 * A later window of a few hundred moments differs by chance between scorers by about one standard
 * error; choosing the larger mean alone served whichever scorer the noise favoured.
 *
 * @example
 * winsClearly([1, 1, 1, 0.9], [0.5, 0.6, 0.4, 0.5]) // true
 */
export function winsClearly(challenger: readonly number[], incumbent: readonly number[]): boolean {
  const n = challenger.length;
  if (n < 2 || incumbent.length !== n) return false;
  const diffs = challenger.map((c, i) => c - incumbent[i]!);
  const mean = diffs.reduce((a, b) => a + b, 0) / n;
  const variance = diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1);
  return mean > CLEAR_WIN_STANDARD_ERRORS * Math.sqrt(variance / n);
}

/**
 * The blend's weights chosen by coordinate ascent on NDCG@10 over every candidate of each moment:
 * starting from the prior ({@link defaultRankerWeights}), each generator's weight is scaled by
 * 0, ¼, ½, 2 or 4 and kept when the moments are ranked better, for three passes. Still a weighted
 * sum a person can read, so its reasons stay those of the features that added most.
 *
 * @example
 * const { weights, ndcg } = tuneBlend(trainingWindowRows);
 */
export function tuneBlend(data: Pick<MomentRows, 'rows' | 'labels' | 'groups'>): { weights: RankerWeights; ndcg: number } {
  const weights = defaultRankerWeights();
  // Up to 165 scorings of ~100,000 rows: one score buffer and the moments grouped once, since a
  // fresh array of scores each time went straight to V8's old generation and piled up there.
  const moments = byMoment(data.groups);
  const scores = new Float64Array(data.rows.length);
  const score = (w: RankerWeights) => {
    data.rows.forEach((x, i) => (scores[i] = predictRanker(w, x)));
    return meanOf(ndcgsOfMoments(moments, scores, data.labels));
  };
  let best = score(weights);
  for (let pass = 0; pass < PASSES; pass++) {
    let improved = false;
    for (const name of TUNABLE) {
      const f = RANKER_FEATURES.indexOf(name);
      const current = weights.w1[f]!;
      for (const step of STEPS) {
        weights.w1[f] = current === 0 ? step : current * step;
        const ndcg = score(weights);
        if (ndcg > best + 1e-6) {
          best = ndcg;
          improved = true;
          break;
        }
        weights.w1[f] = current;
      }
    }
    if (!improved) break;
  }
  return { weights, ndcg: best };
}

/** The MMR settings tried, from none to the most diverse; diversity is kept while it costs little. */
const MMR_LAMBDAS = [1, 0.95, 0.9, 0.85, 0.8, 0.75] as const;
/** The share of validation NDCG@10 that diversity may cost. */
export const DIVERSITY_BUDGET = 0.02;

/**
 * The MMR trade-off to serve: the most diverse λ whose NDCG@10 on the later window's moments stays
 * within {@link DIVERSITY_BUDGET} of pure relevance (λ = 1). Offline accuracy always prefers no
 * diversity; this keeps the lists from being five variants of one course at a bounded, measured cost.
 *
 * @example
 * const { lambda, ndcgByLambda } = chooseMmrLambda(validation, scores, similarity);
 */
export function chooseMmrLambda(
  data: MomentRows,
  scores: readonly number[],
  similarity: (a: string, b: string) => number,
): { lambda: number; ndcgByLambda: Record<string, number> } {
  const moments = byMoment(data.groups).map((members) => [...members].sort(byScoreThenPessimistic(scores, data.labels)).slice(0, 50));
  const ndcgByLambda: Record<string, number> = {};
  for (const lambda of MMR_LAMBDAS) {
    let sum = 0;
    for (const ordered of moments) {
      const picked = mmr(ordered.map((i) => ({ id: data.ids[i]!, score: scores[i]!, i })), 10, lambda, similarity);
      sum += ndcgAt10(picked.map((p) => data.labels[p.i]!), ordered.filter((i) => data.labels[i] === 1).length);
    }
    ndcgByLambda[String(lambda)] = moments.length ? sum / moments.length : 0;
  }
  const floor = (ndcgByLambda['1'] ?? 0) * (1 - DIVERSITY_BUDGET);
  const lambda = [...MMR_LAMBDAS].reverse().find((l) => (ndcgByLambda[String(l)] ?? 0) >= floor) ?? 1;
  return { lambda, ndcgByLambda };
}

/**
 * Highest score first; among equal scores the courses not taken come first, so a scorer that cannot
 * tell candidates apart (all weights 0) earns nothing from the order the rows were built in.
 */
function byScoreThenPessimistic(scores: ArrayLike<number>, labels: readonly number[]): (a: number, b: number) => number {
  return (a, b) => scores[b]! - scores[a]! || labels[a]! - labels[b]! || a - b;
}

function byMoment(groups: readonly number[]): number[][] {
  const out = new Map<number, number[]>();
  groups.forEach((g, i) => {
    const list = out.get(g);
    if (list) list.push(i);
    else out.set(g, [i]);
  });
  return [...out.values()];
}

/** NDCG@10 of a list of 0/1 gains in ranked order; `positives` defaults to those in the list. */
function ndcgAt10(gains: readonly number[], positives = gains.filter((g) => g === 1).length): number {
  let dcg = 0;
  let idcg = 0;
  for (let r = 0; r < 10; r++) {
    if (gains[r] === 1) dcg += 1 / Math.log2(r + 2);
    if (r < positives) idcg += 1 / Math.log2(r + 2);
  }
  return idcg > 0 ? dcg / idcg : 0;
}
