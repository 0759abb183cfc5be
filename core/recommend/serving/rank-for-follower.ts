import type { Recommendation } from '../../ports/index.js';
import { cosine } from '../algorithms/content-tfidf.js';
import { defaultRankerWeights } from '../ranking/ranker.js';
import { mmr } from '../rerank/mmr.js';
import type { CatalogueIndex } from './catalogue-index.js';
import type { RecommenderModel } from './recommender-model.js';
import { scoreCandidates, type FollowerSignals } from './score-candidates.js';

/** MMR trade-off served in production: 1 = pure relevance. */
export const SERVED_MMR_LAMBDA = 0.75;

/**
 * The served engine for one follower, from candidates to the final list: every generator, the
 * ranker (the artifact's, or the untrained blend without one), the business filters (owned,
 * excluded, off-band) and MMR diversity over the best `5 × limit` (at least 20). Pure, so the
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
  const ranked = scoreCandidates(model, catalogue, signals, excluded, model?.artifact.ranker ?? defaultRankerWeights());
  const similarity = (a: string, b: string) => {
    const va = catalogue.content.vectors[catalogue.content.byId.get(a) ?? -1];
    const vb = catalogue.content.vectors[catalogue.content.byId.get(b) ?? -1];
    return va && vb ? cosine(va, vb) : 0;
  };
  return mmr(ranked.slice(0, Math.max(limit * 5, 20)), limit, mmrLambda, similarity).map((c) => ({ courseId: c.id, score: round(c.score), reason: c.reason, source: c.source }));
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
