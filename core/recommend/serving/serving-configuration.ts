import { defaultRankerWeights, RANKER_FEATURES, type RankerFeature, type RankerWeights } from '../ranking/ranker.js';
import type { GeneratorName, RecommenderModel } from './recommender-model.js';

/**
 * A per-call variation of the served pipeline (a recommender experiment's variant): which ranker,
 * how much diversity, which candidate generators, and overrides of the untrained blend's weights.
 * Everything left out serves as production does.
 */
export interface ServingConfiguration {
  /** `served`: the artifact's ranker (trained, or the blend when retraining kept it); `untrained_blend`: always the blend. */
  ranker?: 'served' | 'untrained_blend';
  /** MMR trade-off, 0…1 (1 = pure relevance, no diversity). */
  mmrLambda?: number;
  /** Candidate generators switched off for this call. */
  disabledGenerators?: readonly GeneratorName[];
  /** Weights of the untrained blend to replace, per ranker feature (only with `ranker: 'untrained_blend'`). */
  blendWeights?: Partial<Record<RankerFeature, number>>;
}

/**
 * The ranker a configuration serves with: the model's own unless the untrained blend is asked
 * for, with any of its weights replaced.
 *
 * @example
 * rankerFor(model, { ranker: 'untrained_blend', blendWeights: { popularity: 2 } }).w1[RANKER_FEATURES.indexOf('popularity')]; // 2
 */
export function rankerFor(model: RecommenderModel | null, configuration: ServingConfiguration = {}): RankerWeights {
  if (configuration.ranker !== 'untrained_blend') return model?.artifact.ranker ?? withBlendWeights(defaultRankerWeights(), configuration.blendWeights);
  return withBlendWeights(defaultRankerWeights(), configuration.blendWeights);
}

function withBlendWeights(blend: RankerWeights, overrides: ServingConfiguration['blendWeights']): RankerWeights {
  if (!overrides) return blend;
  // The blend is one identity-like hidden unit: its input weights are the feature weights.
  return { ...blend, w1: RANKER_FEATURES.map((feature, f) => overrides[feature] ?? blend.w1[f]!) };
}
