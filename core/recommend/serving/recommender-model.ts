import type { ItemNeighbours } from '../algorithms/item-knn.js';
import type { RankerWeights } from '../ranking/ranker.js';
import type { AssociationRule } from '../rules/apriori.js';
import type { SegmentModel } from '../segments/segment-model.js';

export const RECOMMENDER_ARTIFACT_KIND = 'recommender';

/** What a retrain stores (JSON): everything serving needs, nothing it must recompute. */
export interface RecommenderArtifact {
  formatVersion: 1;
  trainedAt: string;
  /** Item index → course id for the arrays below. */
  courseIds: string[];
  /** Weighted interaction counts, scaled so the most popular course is 1. */
  popularity: number[];
  /** Time-decayed popularity (7-day half-life), scaled to 0…1. */
  trending: number[];
  neighbours: { offsets: number[]; items: number[]; sims: number[] };
  segmentModel: SegmentModel | null;
  /** Per segment, popularity among its members scaled to 0…1 (same item order). */
  segmentPopularity: number[][];
  rules: AssociationRule[];
  ranker: RankerWeights;
}

/** The artifact with lookups and typed arrays built once after loading. */
export interface RecommenderModel {
  artifact: RecommenderArtifact;
  indexOf: Map<string, number>;
  neighbours: ItemNeighbours;
  /** Course id → rules whose antecedent contains it. */
  rulesByAntecedent: Map<string, AssociationRule[]>;
}

/**
 * Builds serving lookups from a stored artifact.
 *
 * @example
 * const model = hydrateModel(artifact.data as RecommenderArtifact);
 */
export function hydrateModel(artifact: RecommenderArtifact): RecommenderModel {
  const rulesByAntecedent = new Map<string, AssociationRule[]>();
  for (const rule of artifact.rules) {
    for (const id of rule.antecedent) rulesByAntecedent.set(id, [...(rulesByAntecedent.get(id) ?? []), rule]);
  }
  return {
    artifact,
    indexOf: new Map(artifact.courseIds.map((id, i) => [id, i])),
    neighbours: {
      nItems: artifact.courseIds.length,
      offsets: Int32Array.from(artifact.neighbours.offsets),
      neighbours: Int32Array.from(artifact.neighbours.items),
      similarities: Float32Array.from(artifact.neighbours.sims),
    },
    rulesByAntecedent,
  };
}
