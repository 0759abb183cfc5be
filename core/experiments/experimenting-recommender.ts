import { randomUUID } from 'node:crypto';
import type { FollowerRepository } from '../ports/repositories.js';
import type { Recommendation, RecommendOptions, Recommender } from '../ports/recommender.js';
import type { Clock, Logger } from '../ports/runtime.js';
import { assignVariant } from './assign-variant.js';
import type { RecommenderExperiment, RecommenderVariant } from './recommender-experiment.js';
import type { RecommenderExperimentRepository, RecommenderExposure } from './recommender-experiment-ports.js';

export interface ExperimentingRecommenderDeps {
  /** The one chain (engine, then fallbacks); it receives the variant's configuration. */
  recommender: Recommender;
  followers: Pick<FollowerRepository, 'findById'>;
  experiments: Pick<RecommenderExperimentRepository, 'running'>;
  exposures: { record(exposure: RecommenderExposure): void };
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  /** Called when the running experiment could not be read (followers then get the last one known, or production). */
  onLookupFailed?: () => void;
}

/** The recommender of every channel, plus `invalidate()`: re-read the running experiment on the next request (after a start or stop). */
export interface ExperimentingRecommender extends Recommender {
  invalidate(): void;
}

/**
 * Puts followers in the running recommender experiment: each follower with personalisation consent
 * gets a sticky variant (a hash of experiment and follower, see assignVariant: the same in every
 * process and channel, nothing stored), and the chain serves them with that variant's
 * configuration. A list shown to the follower (`shownOn` set by the channel) is queued as an
 * exposure of that variant; the request does not wait for it. Followers without consent, and
 * every follower while no experiment runs, are served exactly as before. The running experiment is
 * re-read every `refreshMs` (and at once after `invalidate()`), not per request.
 *
 * @example
 * const recommender = createExperimentingRecommender({ recommender: chain, followers, experiments, exposures, clock, logger });
 * await recommender.recommend(followerId, { limit: 3, shownOn: 'miniprogram' });
 */
export function createExperimentingRecommender(deps: ExperimentingRecommenderDeps, options: { refreshMs?: number } = {}): ExperimentingRecommender {
  const refreshMs = options.refreshMs ?? 10_000;
  let running: RecommenderExperiment | null = null;
  let checkedAt = -Infinity;
  let reading: Promise<void> | null = null;

  async function read(): Promise<void> {
    try {
      running = await deps.experiments.running();
    } catch (error) {
      deps.logger.warn({ err: error }, 'running recommender experiment not read; serving the last one known until the next try');
      deps.onLookupFailed?.();
    }
    checkedAt = deps.clock.now().getTime();
  }

  async function currentExperiment(): Promise<RecommenderExperiment | null> {
    if (deps.clock.now().getTime() - checkedAt > refreshMs) {
      // One read at a time; concurrent requests wait for the same one.
      reading ??= read().finally(() => (reading = null));
      await reading;
    }
    return running;
  }

  return {
    invalidate() {
      checkedAt = -Infinity;
    },
    async recommend(followerId: string, options: RecommendOptions): Promise<Recommendation[]> {
      // Without a running experiment nothing is read here: serving keeps its one round trip.
      const experiment = await currentExperiment();
      if (!experiment) return deps.recommender.recommend(followerId, options);
      const follower = options.follower?.id === followerId ? options.follower : await deps.followers.findById(followerId);
      if (!follower?.hasPersonalizationConsent) return deps.recommender.recommend(followerId, follower ? { ...options, follower } : options);
      const variant = variantOf(experiment, followerId);
      const picks = await deps.recommender.recommend(followerId, { ...options, follower, configuration: variant.configuration });
      if (options.shownOn && picks.length > 0) {
        deps.exposures.record({
          listId: randomUUID(),
          experimentId: experiment.id,
          variant: variant.key,
          followerId,
          courseIds: picks.map((p) => p.courseId),
          channel: options.shownOn,
          exposedAt: deps.clock.now(),
        });
      }
      return picks;
    },
  };
}

/**
 * The variant a follower is in: sticky, by the traffic shares.
 *
 * @example
 * variantOf(experiment, followerId).key; // 'B', on every call
 */
export function variantOf(experiment: Pick<RecommenderExperiment, 'id' | 'variants'>, followerId: string): RecommenderVariant {
  const key = assignVariant(`recommender-experiment:${experiment.id}`, followerId, experiment.variants.map((v) => ({ key: v.key, weight: v.sharePercent })));
  return experiment.variants.find((v) => v.key === key)!;
}
