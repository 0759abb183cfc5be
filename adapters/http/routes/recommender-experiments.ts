import { Router } from 'express';
import { z } from 'zod';
import {
  configurationVocabulary, controlRecommenderExperiment, createRecommenderExperiment, describeConfiguration, findManagedRecommenderExperiment, getRecommenderExperimentResults,
  type RecommenderExperiment, type RecommenderExperimentRepository,
} from '../../../core/experiments/index.js';
import type { Clock } from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';

export interface RecommenderExperimentApiDeps {
  experiments: RecommenderExperimentRepository;
  clock: Clock;
  /** Called after a start or stop, so this process's recommender serves the change at once (others re-read within seconds). */
  onChanged?: () => void;
}

export const recommenderExperimentListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const idParam = z.object({ id: z.uuid({ message: 'recommender experiment id must be a UUID' }) });

/** An experiment as the API shows it: each variant's configuration also in words, in Chinese and English. */
export function recommenderExperimentJson(e: RecommenderExperiment) {
  return {
    id: e.id,
    name: e.name,
    status: e.status,
    attributionHours: e.attributionHours,
    variants: e.variants.map((v) => ({
      ...v,
      descriptionZh: describeConfiguration(v.configuration, 'zh-CN'),
      descriptionEn: describeConfiguration(v.configuration, 'en'),
    })),
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    startedAt: e.startedAt?.toISOString() ?? null,
    stoppedAt: e.stoppedAt?.toISOString() ?? null,
  };
}

/**
 * Online experiments on recommender configurations: `GET|POST /recommender-experiments`,
 * `GET /recommender-experiments/:id` (the list also carries the names of generators and ranker
 * features in both languages, for the console's form), `POST /recommender-experiments/:id/start|stop`,
 * `GET /recommender-experiments/:id/results` (the shape of a broadcast's results, plus clicks,
 * checkouts, purchases and revenue per variant). Mounted for admins only (bots/wire-jobs.ts: a
 * variant changes what every follower is served); the creator scoping below is a second line of
 * defence should a creator ever be let in. Every change is audited.
 */
export function createRecommenderExperimentsRouter(deps: RecommenderExperimentApiDeps): Router {
  const router = Router();

  router.get('/recommender-experiments', async (req, res) => {
    const principal = principalOf(req);
    const { limit } = recommenderExperimentListQuery.parse(req.query);
    const items = await deps.experiments.list({ limit, ...(principal.role === 'admin' ? {} : { createdBy: principal.id ?? '00000000-0000-0000-0000-000000000000' }) });
    res.json({ items: items.map(recommenderExperimentJson), vocabulary: configurationVocabulary() });
  });

  router.post('/recommender-experiments', async (req, res) => {
    const experiment = await createRecommenderExperiment(deps, req.body, principalOf(req));
    res.status(201).json({ experiment: recommenderExperimentJson(experiment) });
  });

  router.get('/recommender-experiments/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    res.json({ experiment: recommenderExperimentJson(await findManagedRecommenderExperiment(deps, principalOf(req), id)) });
  });

  router.post('/recommender-experiments/:id/start', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const experiment = await controlRecommenderExperiment(deps, principalOf(req), id, 'start');
    deps.onChanged?.();
    res.json({ experiment: recommenderExperimentJson(experiment) });
  });

  router.post('/recommender-experiments/:id/stop', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const experiment = await controlRecommenderExperiment(deps, principalOf(req), id, 'stop');
    deps.onChanged?.();
    res.json({ experiment: recommenderExperimentJson(experiment) });
  });

  router.get('/recommender-experiments/:id/results', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const experiment = await findManagedRecommenderExperiment(deps, principalOf(req), id);
    res.json(await getRecommenderExperimentResults(deps, experiment));
  });
  return router;
}
