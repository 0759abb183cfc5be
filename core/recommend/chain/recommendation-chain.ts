import { NotFoundError } from '../../errors.js';
import type { Logger } from '../../ports/index.js';
import type { Recommendation, Recommender, RecommendOptions } from '../../ports/recommender.js';

/** With a filter, each stage is asked for this many times the picks still missing. */
const OVERFETCH_WITH_FILTER = 3;
/** What one stage is asked for at most. */
const MAX_LIMIT = 50;

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
 * owned and not-on-sale courses are never returned. With `fits` (a budget), each stage is asked for
 * {@link OVERFETCH_WITH_FILTER}× what is missing and only picks whose course fits are kept (a pick
 * that does not carry its course cannot be checked, so it is not kept). Each pick keeps the reason code of the stage
 * that made it. An unknown follower is an error (NotFoundError `follower_not_found`, from the
 * first stage, which reads the follower). A stage that fails otherwise is logged and skipped, so a broken model degrades to labelled
 * fallbacks instead of an error in the chat.
 *
 * @example
 * const recommender = createRecommendationChain({ logger }, [
 *   { name: 'engine', recommender: engine },
 *   { name: 'interest_popularity', recommender: interestPopularity },
 *   { name: 'newest_on_sale', recommender: newest },
 * ]);
 */
export function createRecommendationChain(
  deps: { logger: Pick<Logger, 'error'>; onStageFailed?: (stage: string) => void },
  stages: readonly RecommenderStage[],
): Recommender {
  return {
    async recommend(followerId: string, options: RecommendOptions): Promise<Recommendation[]> {
      const limit = Math.max(0, Math.min(options.limit, MAX_LIMIT));
      const fits = options.fits;
      const ask = (missing: number) => (fits ? Math.min(MAX_LIMIT, missing * OVERFETCH_WITH_FILTER) : missing);
      // The follower is not read here: the first stage reads it with everything else it needs in
      // one round trip, and says when there is none. Later stages read it only when they are asked.
      const excluded = new Set(options.excludeCourseIds ?? []);
      const picks: Recommendation[] = [];
      for (const stage of stages) {
        if (picks.length >= limit) break;
        let stagePicks: Recommendation[];
        try {
          stagePicks = await stage.recommender.recommend(followerId, { ...options, limit: ask(limit - picks.length), excludeCourseIds: [...excluded] });
        } catch (error) {
          if (error instanceof NotFoundError && error.code === 'follower_not_found') throw error;
          deps.logger.error({ err: error, stage: stage.name }, 'recommender stage failed; the next stage answers');
          deps.onStageFailed?.(stage.name);
          continue;
        }
        for (const pick of stagePicks) {
          if (picks.length >= limit) break;
          if (excluded.has(pick.courseId)) continue;
          if (fits && !pick.courses?.some((c) => c.id === pick.courseId && fits(c))) continue;
          excluded.add(pick.courseId);
          picks.push(pick);
        }
      }
      return picks;
    },
  };
}
