import type { Recommendation } from '../../ports/index.js';
import { mmr } from '../rerank/mmr.js';
import { contentSimilarityScorer, type CatalogueIndex } from './catalogue-index.js';
import type { RecommenderModel } from './recommender-model.js';
import { rankerFor, type ServingConfiguration } from './serving-configuration.js';
import { scoreCandidates, type FollowerSignals, type ScoredCandidate } from './score-candidates.js';

/** MMR trade-off served when the model did not choose one (too little data to measure its cost): 1 = pure relevance. */
export const SERVED_MMR_LAMBDA = 0.75;

/**
 * The served engine for one follower, from candidates to the final list: every generator, the
 * ranker (the artifact's, or the untrained blend without one), the business filters (owned,
 * excluded, off-band) and MMR diversity over the best `5 × limit` (at least 20), at the trade-off
 * the retrain chose (`artifact.mmrLambda`) unless the caller gives one. A follower with
 * no course history whose persona holds interests (they can only come from onboarding topics or
 * what they wrote) gets every course matching those first, labelled `matches_what_you_said`. Pure, so the
 * production recommender and the offline evaluation (`npm run eval`) run exactly this. A
 * `configuration` (a recommender experiment's variant) changes the ranker, the diversity or the
 * generators of this one call; the pipeline stays the same.
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
  mmrLambda = model?.artifact.mmrLambda ?? SERVED_MMR_LAMBDA,
  configuration: ServingConfiguration = {},
): Recommendation[] {
  // MMR looks at the best `5 × n` (at least 20) of each part, n ≤ limit: nothing below can be picked.
  const considered = (n: number) => Math.max(n * 5, 20);
  const disabled = configuration.disabledGenerators?.length ? new Set(configuration.disabledGenerators) : undefined;
  const { ranked, explain } = scoreCandidates(model, catalogue, signals, excluded, rankerFor(model, configuration), considered(limit), disabled);
  const lambda = configuration.mmrLambda ?? mmrLambda;
  const diversify = (candidates: ScoredCandidate[], n: number) => mmr(candidates.slice(0, considered(n)), n, lambda, similarity);
  const similarity = contentSimilarityScorer(catalogue);
  // A follower known only by their words gets every course matching them first; diversity works within each part.
  const stated = ranked.filter((c) => c.isStated);
  const picks = stated.length === 0
    ? diversify(ranked, limit)
    : [...diversify(stated, Math.min(limit, stated.length)), ...diversify(ranked.filter((c) => !c.isStated), Math.max(0, limit - stated.length))];
  // Only the picks are explained (a ranker pass per feature each).
  return picks.map((c) => ({ courseId: c.id, score: round(c.score), ...explain(c) }));
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
