import { Router } from 'express';
import type { ModelArtifactRepository } from '../../../core/index.js';
import { RECOMMENDER_ARTIFACT_KIND, type RecommenderArtifact } from '../../../core/recommend/index.js';
import { requireRole } from '../auth/console-auth.js';

export interface SegmentsApiDeps {
  artifacts: Pick<ModelArtifactRepository, 'latest'>;
}

/**
 * `GET /segments` (admins only) — behaviour segments (K-means, k by silhouette, named by top traits)
 * and purchase association rules from the newest recommender artifact. Mount under the
 * authenticated `/api`. The model is trained over every follower and every creator's sales, so a
 * segment's size, traits and top courses, and the rules' support, describe other creators'
 * audiences and revenue: creators get 403 (they target audiences with `POST /segments/preview`,
 * which keeps them to their own courses).
 *
 * @example
 * app.use('/api', requireAdmin, createSegmentsRouter({ artifacts: new PgModelArtifactRepository(db) }));
 */
export function createSegmentsRouter(deps: SegmentsApiDeps): Router {
  const router = Router();
  router.get('/segments', requireRole('admin'), async (_req, res) => {
    const artifact = await deps.artifacts.latest(RECOMMENDER_ARTIFACT_KIND);
    if (!artifact) {
      res.json({ version: null, trainedAt: null, segments: [], rules: [], hint: 'No model trained yet: run the model-retrain job (retrainRecommender).' });
      return;
    }
    const data = artifact.data as RecommenderArtifact;
    const model = data.segmentModel;
    res.json({
      version: artifact.version,
      trainedAt: data.trainedAt,
      silhouette: model?.silhouette ?? null,
      segments: (model?.segments ?? []).map((s) => {
        const popularity = data.segmentPopularity[s.id] ?? [];
        const topCourseIds = popularity.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 5).filter(([p]) => p > 0).map(([, i]) => data.courseIds[i]!);
        return { id: s.id, nameEn: s.nameEn, nameZh: s.nameZh, size: s.size, traits: s.traits, topCourseIds };
      }),
      rules: data.rules.slice(0, 100),
    });
  });
  return router;
}
