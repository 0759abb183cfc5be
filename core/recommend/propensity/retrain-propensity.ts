import type { ActivityRepository, Clock, CourseRepository, FollowerScoreStore, Logger, ModelArtifactRepository } from '../../ports/index.js';
import { readAllPages } from '../data/read-pages.js';
import { listAllCourses } from '../serving/catalogue-index.js';
import { groupActivity } from './propensity-features.js';
import { PROPENSITY_ARTIFACT_KIND, PROPENSITY_DEFAULTS, scoreFollowers, trainPropensity, type PropensityOptions } from './train-propensity.js';

export interface RetrainPropensityDeps {
  activity: ActivityRepository;
  courses: Pick<CourseRepository, 'list'>;
  artifacts: Pick<ModelArtifactRepository, 'save'>;
  scores: FollowerScoreStore;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn'>;
}

const PAGE = 50_000;

/**
 * The propensity part of a retrain (a job, never the chat path): reads the event log, trains the
 * purchase-propensity and churn-risk models as of now (trainPropensity), stores them as a new
 * `propensity` artifact with their validation figures, and scores every follower with events into
 * the score store that segments and the persona read. When a model cannot be fitted (too few
 * purchases yet), the artifact says why and the previous scores stay.
 *
 * @example
 * const { version, metrics } = await retrainPropensity({ activity, courses, artifacts, scores, clock, logger });
 */
export async function retrainPropensity(deps: RetrainPropensityDeps, options: PropensityOptions = PROPENSITY_DEFAULTS): Promise<{ version: number; metrics: Record<string, unknown> }> {
  const started = Date.now();
  const now = deps.clock.now();
  const events = await readAllPages((afterId, limit) => deps.activity.listActivity({ afterId, limit }), PAGE);
  const courses = new Map((await listAllCourses(deps.courses)).map((c) => [c.id, c]));
  const timelines = groupActivity(events.filter((e) => e.occurredAt.getTime() < now.getTime()));
  const artifact = trainPropensity(timelines, courses, now, options);
  const scored = scoreFollowers(artifact, timelines, courses, now);
  const v = artifact.validation;
  const metrics = {
    events: events.length, followers: timelines.size, horizonDays: artifact.horizonDays, scored: scored.length,
    purchaseAuc: v.purchase.report?.auc ?? null, purchaseBrier: v.purchase.report?.brier ?? null, purchaseSkipped: v.purchase.skipped,
    churnAuc: v.churn.report?.auc ?? null, churnBrier: v.churn.report?.brier ?? null, churnSkipped: v.churn.skipped,
    trainMs: Date.now() - started,
  };
  const saved = await deps.artifacts.save({ kind: PROPENSITY_ARTIFACT_KIND, metrics, data: artifact });
  if (scored.length > 0) {
    await deps.scores.replaceAll(scored, { modelVersion: saved.version, horizonDays: artifact.horizonDays, scoredAt: now });
  } else {
    deps.logger.warn({ purchase: v.purchase.skipped, churn: v.churn.skipped }, 'propensity models not fitted; previous follower scores kept');
  }
  deps.logger.info({ version: saved.version, ...metrics }, `propensity models version ${saved.version}: ${scored.length} followers scored`);
  return { version: saved.version, metrics };
}
