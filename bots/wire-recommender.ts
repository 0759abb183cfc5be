import { createSegmentsRouter } from '../adapters/http/routes/segments.js';
import { getPersona } from '../core/index.js';
import { createRecommender, initTensorflowBackend, RECOMMENDER_ARTIFACT_KIND, retrainRecommender } from '../core/recommend/index.js';
import { PgInteractionRepository, PgModelArtifactRepository } from '../models/index.js';
import type { CoreContext } from './core-context.js';
import type { Wiring } from './wiring.js';

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

  const interactions = new PgInteractionRepository(ctx.database.db);
  const artifacts = new PgModelArtifactRepository(ctx.database.db);
  const personaDeps = { followers: ctx.repos.followers, events: ctx.repos.events, clock: ctx.clock };
  wiring.recommender = createRecommender(
    {
      followers: ctx.repos.followers,
      courses: ctx.repos.courses,
      entitlements: ctx.repos.entitlements,
      interactions,
      artifacts,
      clock: ctx.clock,
      logger,
      persona: (followerId) => getPersona(personaDeps, followerId),
    },
    { refreshMs: 60_000 },
  );
  const retrain = (onProgress?: (percent: number, stage: string) => void) =>
    retrainRecommender({ interactions, courses: ctx.repos.courses, artifacts, clock: ctx.clock, logger }, { onProgress });
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
