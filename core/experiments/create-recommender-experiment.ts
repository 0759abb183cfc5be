import type { Principal } from '../accounts/account.js';
import { parseInput } from '../errors.js';
import { describeConfiguration, recommenderExperimentInputSchema, toVariants, type RecommenderExperiment } from './recommender-experiment.js';
import type { RecommenderExperimentRepository } from './recommender-experiment-ports.js';

/**
 * Creates a recommender experiment as a draft: 2–4 variants, each a serving configuration (ranker,
 * diversity, generators, blend weights) with a traffic share; the first variant is the control.
 * Audited with every variant described in words. Nothing changes for followers until it is started.
 *
 * @example
 * const experiment = await createRecommenderExperiment({ experiments }, {
 *   name: 'Trained ranker vs blend',
 *   variants: [{ sharePercent: 50 }, { sharePercent: 50, ranker: 'untrained_blend' }],
 * }, principal);
 */
export async function createRecommenderExperiment(
  deps: { experiments: Pick<RecommenderExperimentRepository, 'create'> },
  input: unknown,
  principal: Principal,
): Promise<RecommenderExperiment> {
  const parsed = parseInput(recommenderExperimentInputSchema, input);
  const variants = toVariants(parsed);
  return deps.experiments.create(
    { name: parsed.name, variants, attributionHours: parsed.attributionHours, createdBy: principal.id },
    {
      actor: principal.actor,
      action: 'recommender_experiment.create',
      details: { name: parsed.name, attributionHours: parsed.attributionHours, variants: variants.map((v) => ({ key: v.key, sharePercent: v.sharePercent, description: describeConfiguration(v.configuration, 'en') })) },
    },
  );
}
