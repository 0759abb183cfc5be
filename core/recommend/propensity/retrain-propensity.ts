import type { ActivityRepository, Clock, CourseRepository, FollowerScoreStore, Logger, ModelArtifactRepository } from '../../ports/index.js';
import { EventLogBuilder } from '../data/event-log.js';
import { forEachEventPage } from '../data/read-pages.js';
import { listAllCourses } from '../serving/catalogue-index.js';
import { releaseGarbage } from '../training/collect-garbage.js';
import { timelinesOf, type FollowerTimeline } from './propensity-features.js';
import { PROPENSITY_ARTIFACT_KIND, PROPENSITY_DEFAULTS, scoreFollowers, trainPropensity, type PropensityOptions } from './train-propensity.js';

export interface RetrainPropensityDeps {
  activity: ActivityRepository;
  courses: Pick<CourseRepository, 'list'>;
  artifacts: Pick<ModelArtifactRepository, 'save'>;
  scores: FollowerScoreStore;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Called at each stage boundary after garbage is collected (see RetrainRecommenderDeps). */
  returnNativeMemory?: () => unknown;
}

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
  const { read, timelines } = await readTimelines(deps.activity, now);
  // A batch job's stages, each with hundreds of MB of garbage: collected between them (see releaseGarbage).
  await releaseGarbage(deps.returnNativeMemory);
  const courses = new Map((await listAllCourses(deps.courses)).map((c) => [c.id, c]));
  const artifact = trainPropensity(timelines, courses, now, options);
  const scored = scoreFollowers(artifact, timelines, courses, now);
  await releaseGarbage(deps.returnNativeMemory);
  const v = artifact.validation;
  const metrics = {
    events: read, followers: timelines.size, horizonDays: artifact.horizonDays, scored: scored.length,
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

/**
 * Each follower's events before `now`, held as columns as the pages arrive (a million events as
 * objects would be most of the retrain's memory), followers in the order the log names them first.
 */
async function readTimelines(activity: ActivityRepository, now: Date): Promise<{ read: number; timelines: Map<string, FollowerTimeline> }> {
  const builder = new EventLogBuilder();
  const read = await forEachEventPage((afterId, limit) => activity.listActivity({ afterId, limit }), (page) => {
    for (const e of page) if (e.occurredAt.getTime() < now.getTime()) builder.add(e);
  });
  return { read, timelines: timelinesOf(builder.build(), builder.followersInOrderAdded()) };
}
