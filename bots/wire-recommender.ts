import { createSegmentsRouter } from '../adapters/http/routes/segments.js';
import { trimNativeHeap } from '../adapters/runtime/index.js';
import { createExperimentingRecommender, ExposureLog } from '../core/experiments/index.js';
import { type Clock, type Logger, type Recommender, type Repositories } from '../core/index.js';
import {
  createRecommendationChain, createRecommender, initTensorflowBackend, InterestPopularityRecommender, isServable, NewestOnSaleRecommender, RECOMMENDER_ARTIFACT_KIND,
  releaseGarbage, retrainPropensity, retrainRecommender,
} from '../core/recommend/index.js';
import {
  PgCoursePopularity, PgFollowerScores, PgInteractionRepository, PgModelArtifactRepository, PgRecommenderExperiments, PgServingSignals, type Db,
} from '../models/index.js';
import type { CoreContext } from './core-context.js';
import type { Wiring } from './wiring.js';

/**
 * The one recommender every process and test serves from: the trained engine (newest artifact,
 * live history, owned courses and persona inputs read in one statement per request), then interest/segment popularity, then the newest courses
 * on sale — an explicit chain with one exclusion set, each stage labelling its picks — in front of
 * which the running recommender experiment (if any) gives each consenting follower their sticky
 * variant's configuration and logs the lists shown (`experiments`: the repository, the exposure
 * log to stop on shutdown, and `invalidate` after a start or stop). Also the full
 * retrain that writes a new artifact, and the propensity models with their follower scores. The core context, the benchmarks and the tests build it here,
 * so they all measure and exercise the same chain.
 *
 * @example
 * const { recommender, retrain } = buildRecommender({ db, repos, clock, logger });
 * await retrain();
 */
export function buildRecommender(parts: { db: Db; repos: Repositories; clock: Clock; logger: Logger; onStageFailed?: (stage: string) => void; onExperimentError?: (code: string) => void }) {
  const interactions = new PgInteractionRepository(parts.db);
  const artifacts = new PgModelArtifactRepository(parts.db);
  const engine: Recommender = createRecommender(
    { courses: parts.repos.courses, signals: new PgServingSignals(parts.db), artifacts, clock: parts.clock, logger: parts.logger },
    { refreshMs: 60_000 },
  );
  const interestPopularity = new InterestPopularityRecommender({ ...parts.repos, popularity: new PgCoursePopularity(parts.db, parts.clock), clock: parts.clock });
  const chain = createRecommendationChain({ logger: parts.logger, ...(parts.onStageFailed ? { onStageFailed: parts.onStageFailed } : {}) }, [
    { name: 'engine', recommender: engine },
    { name: 'interest_popularity', recommender: interestPopularity },
    { name: 'newest_on_sale', recommender: new NewestOnSaleRecommender(parts.repos) },
  ]);
  const repository = new PgRecommenderExperiments(parts.db);
  const exposures = new ExposureLog(repository, parts.logger, { onFailed: () => parts.onExperimentError?.('exposure_write_failed') });
  const recommender = createExperimentingRecommender({
    recommender: chain,
    followers: parts.repos.followers,
    experiments: repository,
    exposures,
    clock: parts.clock,
    logger: parts.logger,
    onLookupFailed: () => parts.onExperimentError?.('experiment_lookup_failed'),
  });
  // One retrain job trains both: the recommender, then purchase propensity and churn risk (scored
  // into follower_scores for segments and the persona).
  const retrain = async (onProgress?: (percent: number, stage: string) => void) => {
    const common = { courses: parts.repos.courses, artifacts, clock: parts.clock, logger: parts.logger, returnNativeMemory: trimNativeHeap };
    const trained = await retrainRecommender({ ...common, interactions }, { onProgress });
    // The propensity retrain starts without the recommender's garbage (see releaseGarbage).
    await releaseGarbage(trimNativeHeap);
    const propensity = await retrainPropensity({ ...common, activity: interactions, scores: new PgFollowerScores(parts.db) });
    return { version: trained.version, metrics: { ...trained.metrics, propensity: { version: propensity.version, ...propensity.metrics } } };
  };
  return { recommender, retrain, artifacts, experiments: { repository, exposures, invalidate: () => recommender.invalidate() } };
}

/**
 * Wires training into a process that trains: picks the TensorFlow.js backend (logged and exported
 * in /metrics), offers the full retrain to the model-retrain job, and mounts GET /api/segments.
 * Serving needs none of this: every process serves from `ctx.recommender`. With no artifact yet (a fresh database),
 * or only one of an older format, one retrain runs in the background after start, so followers are served from a trained model.
 */
export async function wireRecommender(ctx: CoreContext, wiring: Wiring): Promise<void> {
  const logger = ctx.logger.child({ component: 'recommender' });
  const backend = await initTensorflowBackend(logger);
  ctx.metrics.tensorflowBackend.set({ backend }, 1);

  const { retrain, artifacts } = ctx.recommenderEngine;
  wiring.retrainRecommender = retrain;
  wiring.mounts.push({ path: '/api', router: createSegmentsRouter({ artifacts }), access: 'admin' });

  let bootstrap: Promise<void> | undefined;
  wiring.services.push({
    name: 'recommender-bootstrap',
    start: async () => {
      // A fresh database, or an artifact of an older format (refused at load): train one now.
      const latest = await artifacts.latest(RECOMMENDER_ARTIFACT_KIND);
      if (latest && isServable(latest.data as Parameters<typeof isServable>[0])) return;
      bootstrap = retrain().then(
        ({ version }) => logger.info({ version }, 'first recommender model trained'),
        (error: unknown) => {
          ctx.metrics.errors.inc({ source: 'train', code: 'bootstrap_retrain_failed' });
          logger.error({ err: error }, 'first recommender training failed; recommendations use fallbacks until the model-retrain job succeeds');
        },
      );
    },
    stop: async () => {
      await bootstrap;
    },
  });
  wiring.channels.push({ channel: 'recommender', isOn: true, reason: `TensorFlow.js backend ${backend}; serving the newest model artifact, then interest popularity, then newest on sale` });
}
