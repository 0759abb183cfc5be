import { NotFoundError } from '../../errors.js';
import type { FollowerRepository, Logger } from '../../ports/index.js';
import type { Recommendation, Recommender, RecommendOptions } from '../../ports/recommender.js';

/** One stage of the chain: a recommender and the name its failures are logged under. */
export interface RecommenderStage {
  name: string;
  recommender: Recommender;
}

/**
 * One recommender with an explicit fallback chain (Gorse's `RecommendSequential`): each stage is
 * asked for what the stages before it could not fill, in order — the trained engine, then
 * interest/segment popularity, then the newest courses on sale. Every stage gets one exclusion set
 * (the caller's exclusions plus every course already picked) and applies the same rule to it:
 * owned and not-on-sale courses are never returned. Each pick keeps the reason code of the stage
 * that made it. A stage that fails is logged and skipped, so a broken model degrades to labelled
 * fallbacks instead of an error in the chat.
 *
 * @example
 * const recommender = createRecommendationChain({ followers, logger }, [
 *   { name: 'engine', recommender: engine },
 *   { name: 'interest_popularity', recommender: interestPopularity },
 *   { name: 'newest_on_sale', recommender: newest },
 * ]);
 */
export function createRecommendationChain(
  deps: { followers: Pick<FollowerRepository, 'findById'>; logger: Pick<Logger, 'error'>; onStageFailed?: (stage: string) => void },
  stages: readonly RecommenderStage[],
): Recommender {
  return {
    async recommend(followerId: string, options: RecommendOptions): Promise<Recommendation[]> {
      const limit = Math.max(0, Math.min(options.limit, 50));
      // Read once here and handed to every stage, so none reads it again.
      const follower = options.follower?.id === followerId ? options.follower : await deps.followers.findById(followerId);
      if (!follower) throw new NotFoundError('follower_not_found', `No follower with id ${followerId}; recommendations need a known follower.`);
      const excluded = new Set(options.excludeCourseIds ?? []);
      const picks: Recommendation[] = [];
      for (const stage of stages) {
        if (picks.length >= limit) break;
        let stagePicks: Recommendation[];
        try {
          stagePicks = await stage.recommender.recommend(followerId, { ...options, follower, limit: limit - picks.length, excludeCourseIds: [...excluded] });
        } catch (error) {
          deps.logger.error({ err: error, stage: stage.name }, 'recommender stage failed; the next stage answers');
          deps.onStageFailed?.(stage.name);
          continue;
        }
        for (const pick of stagePicks) {
          if (picks.length >= limit) break;
          if (excluded.has(pick.courseId)) continue;
          excluded.add(pick.courseId);
          picks.push(pick);
        }
      }
      return picks;
    },
  };
}
