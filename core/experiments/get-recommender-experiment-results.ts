import { computeExperimentResults, type VariantResult } from './compute-experiment-results.js';
import type { RecommenderExperiment } from './recommender-experiment.js';
import type { RecommenderExperimentRepository, RecommenderVariantOutcome } from './recommender-experiment-ports.js';

/**
 * A recommender experiment's results in the shape of a broadcast's, so the same computation and
 * the same console table show them: per variant, followers shown a list (`sent`), those of them
 * with an attributed click, checkout or purchase (`conversions`), rate, credible interval, chance
 * of being best and a z-test against variant A. `outcomes` adds lists shown, clicks, checkouts,
 * purchases and revenue per currency. No per-course picks and no holdout (every follower with
 * consent is in a variant).
 *
 * @example
 * const { variants, outcomes } = await getRecommenderExperimentResults({ experiments }, experiment);
 */
export async function getRecommenderExperimentResults(
  deps: { experiments: Pick<RecommenderExperimentRepository, 'results'> },
  experiment: RecommenderExperiment,
): Promise<{ allocation: 'ab'; variants: VariantResult[]; picks: []; incremental: null; outcomes: RecommenderVariantOutcome[] }> {
  const { stats, outcomes } = await deps.experiments.results(experiment.id);
  const byVariant = new Map(stats.map((s) => [s.variant, s]));
  const outcomeOf = new Map(outcomes.map((o) => [o.variant, o]));
  return {
    allocation: 'ab',
    variants: computeExperimentResults(experiment.variants.map((v) => byVariant.get(v.key) ?? { variant: v.key, sent: 0, conversions: 0 })),
    picks: [],
    incremental: null,
    outcomes: experiment.variants.map((v) => outcomeOf.get(v.key) ?? { variant: v.key, lists: 0, clicks: 0, checkouts: 0, purchases: 0, revenue: [] }),
  };
}
