import type { Recommender, RecommendationReason } from '../ports/recommender.js';
import type { CoursePick, PickKind } from './campaign-types.js';
import type { CrossSellReason } from './cross-sell.js';

/**
 * The cross-sell offer for one follower now: the consequent of the best association rule for what
 * they bought (on sale, not owned), with the reason; null when no rule applies.
 *
 * @example
 * const offer = await crossSell.offerFor(followerId); // { courseId: 'b…', reason: { source: 'association_rules', purchased: [...], confidence: 0.6, … } }
 */
export interface CrossSellOffers {
  offerFor(followerId: string): Promise<{ courseId: string; reason: CrossSellReason } | null>;
}

/**
 * The next course in a path for one follower now: the course the creator set to come after one
 * they finished (most recently first) or own (most recently granted first), on sale and not owned.
 *
 * @example
 * const next = await paths.nextFor(followerId); // { courseId: 'b…', afterCourseId: 'a…' } or null
 */
export interface NextCourseOffers {
  nextFor(followerId: string): Promise<{ courseId: string; afterCourseId: string } | null>;
}

/** The course picked for one follower, how, and why. */
export interface PickedCourse {
  courseId: string;
  /** `recommended` also when a cross-sell or next-in-path pick fell back to the recommendation. */
  pick: PickKind;
  /** The recommender's reason (render with reasonText). */
  reason: RecommendationReason | null;
  crossSell: CrossSellReason | null;
}

/**
 * Picks one follower's own course for a variant that says `pick`: the top pick of the one
 * recommender chain (which excludes owned courses and courses not on sale, and ranks by the
 * persona, price band included), or for `cross_sell` the association rule's offer when one
 * applies, or for `next_in_path` the next course of a path the follower is on (reason
 * `next_in_path`, naming the course it follows), else the recommended pick. Null when nothing is
 * left to offer.
 *
 * @example
 * const picked = await pickCourseFor({ recommender, crossSell }, followerId, 'cross_sell');
 * // { courseId: 'c…', pick: 'cross_sell', reason: null, crossSell: { source: 'association_rules', … } }
 */
export async function pickCourseFor(
  deps: { recommender: Recommender; crossSell?: CrossSellOffers; nextInPath?: NextCourseOffers },
  followerId: string,
  pick: CoursePick,
): Promise<PickedCourse | null> {
  if (pick === 'cross_sell' && deps.crossSell) {
    const offer = await deps.crossSell.offerFor(followerId);
    if (offer) return { courseId: offer.courseId, pick: 'cross_sell', reason: null, crossSell: offer.reason };
  }
  if (pick === 'next_in_path' && deps.nextInPath) {
    const next = await deps.nextInPath.nextFor(followerId);
    if (next) return { courseId: next.courseId, pick: 'next_in_path', reason: { code: 'next_in_path', params: { courseId: next.afterCourseId } }, crossSell: null };
  }
  const [top] = await deps.recommender.recommend(followerId, { limit: 1 });
  return top ? { courseId: top.courseId, pick: 'recommended', reason: top.reason, crossSell: null } : null;
}
