import type { Recommendation } from '../../ports/index.js';
import { cosine } from '../algorithms/content-tfidf.js';
import { defaultRankerWeights } from '../ranking/ranker.js';
import { mmr } from '../rerank/mmr.js';
import type { CatalogueIndex } from './catalogue-index.js';
import type { RecommenderModel } from './recommender-model.js';
import { scoreCandidates, STATED_INTEREST_REASON, type FollowerSignals, type ScoredCandidate } from './score-candidates.js';

/** MMR trade-off served in production: 1 = pure relevance. */
export const SERVED_MMR_LAMBDA = 0.75;

/**
 * The served engine for one follower, from candidates to the final list: every generator, the
 * ranker (the artifact's, or the untrained blend without one), the business filters (owned,
 * excluded, off-band) and MMR diversity over the best `5 × limit` (at least 20). A follower with
 * no course history whose persona holds interests (they can only come from onboarding topics or
 * what they wrote) gets every course matching those first, labelled `matches_what_you_said`. Pure, so the
 * production recommender and the offline evaluation (`npm run eval`) run exactly this.
 *
 * @example
 * const picks = rankForFollower(model, catalogue, signals, new Set(ownedIds), 10);
 */
export function rankForFollower(
  model: RecommenderModel | null,
  catalogue: CatalogueIndex,
  signals: FollowerSignals,
  excluded: ReadonlySet<string>,
  limit: number,
  mmrLambda = SERVED_MMR_LAMBDA,
): Recommendation[] {
  // MMR looks at the best `5 × n` (at least 20) of each part, n ≤ limit: nothing below can be picked.
  const considered = (n: number) => Math.max(n * 5, 20);
  const ranked = scoreCandidates(model, catalogue, signals, excluded, model?.artifact.ranker ?? defaultRankerWeights(), considered(limit));
  const diversify = (candidates: ScoredCandidate[], n: number) => mmr(candidates.slice(0, considered(n)), n, mmrLambda, similarity);
  const similarity = (a: string, b: string) => {
    const va = catalogue.content.vectors[catalogue.content.byId.get(a) ?? -1];
    const vb = catalogue.content.vectors[catalogue.content.byId.get(b) ?? -1];
    return va && vb ? cosine(va, vb) : 0;
  };
  // A follower known only by their words gets every course matching them first; diversity works within each part.
  const stated = ranked.filter((c) => c.reason.code === STATED_INTEREST_REASON);
  const picks = stated.length === 0
    ? diversify(ranked, limit)
    : [...diversify(stated, Math.min(limit, stated.length)), ...diversify(ranked.filter((c) => c.reason.code !== STATED_INTEREST_REASON), Math.max(0, limit - stated.length))];
  return picks.map((c) => ({ courseId: c.id, score: round(c.score), reason: c.reason, source: c.source }));
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
