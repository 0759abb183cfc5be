import { createSegmentsRouter } from '../adapters/http/routes/segments.js';
import { personaOf, type Clock, type Logger, type Recommender, type Repositories } from '../core/index.js';
import { createRecommender, initTensorflowBackend, RECOMMENDER_ARTIFACT_KIND, retrainRecommender } from '../core/recommend/index.js';
import { PgInteractionRepository, PgModelArtifactRepository, type Db } from '../models/index.js';
import type { CoreContext } from './core-context.js';
import type { Wiring } from './wiring.js';

/**
 * The recommendation engine over a database: serving (newest artifact, live history and persona
 * per request) and the full retrain that writes a new artifact. The process wiring and the
 * benchmarks build it here, so they measure the same engine.
 *
 * @example
 * const { recommender, retrain } = createEngine({ db, repos, clock, logger });
 * await retrain();
 */
export function createEngine(parts: { db: Db; repos: Repositories; clock: Clock; logger: Logger }) {
  const interactions = new PgInteractionRepository(parts.db);
  const artifacts = new PgModelArtifactRepository(parts.db);
  const personaDeps = { events: parts.repos.events, clock: parts.clock };
  const recommender: Recommender = createRecommender(
    {
      followers: parts.repos.followers,
      courses: parts.repos.courses,
      entitlements: parts.repos.entitlements,
      interactions,
      artifacts,
      clock: parts.clock,
      logger: parts.logger,
      persona: (follower) => personaOf(personaDeps, follower),
    },
    { refreshMs: 60_000 },
  );
  const retrain = (onProgress?: (percent: number, stage: string) => void) =>
    retrainRecommender({ interactions, courses: parts.repos.courses, artifacts, clock: parts.clock, logger: parts.logger }, { onProgress });
  return { recommender, retrain, artifacts };
}

/**
 * Wires the recommendation engine: picks the TensorFlow.js backend (logged and exported in
 * /metrics), serves recommendations from the newest model artifact, offers the full retrain to
 * the model-retrain job, and mounts GET /api/segments. With no artifact yet (a fresh database),
 * one retrain runs in the background after start so the demo recommends from a trained model.
 */
export async function wireRecommender(ctx: CoreContext, wiring: Wiring): Promise<void> {
  const logger = ctx.logger.child({ component: 'recommender' });
  const backend = await initTensorflowBackend(logger);
  ctx.metrics.tensorflowBackend.set({ backend }, 1);

  const { recommender, retrain, artifacts } = createEngine({ db: ctx.database.db, repos: ctx.repos, clock: ctx.clock, logger });
  wiring.recommender = recommender;
  wiring.retrainRecommender = retrain;
  wiring.mounts.push({ path: '/api', router: createSegmentsRouter({ artifacts }), access: 'admin' });

  let bootstrap: Promise<void> | undefined;
  wiring.services.push({
    name: 'recommender-bootstrap',
    start: async () => {
      if ((await artifacts.latestVersion(RECOMMENDER_ARTIFACT_KIND)) !== null) return;
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
  wiring.channels.push({ channel: 'recommender', isOn: true, reason: `TensorFlow.js backend ${backend}; serving the newest model artifact` });
}
