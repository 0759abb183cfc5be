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
 * How often each course turns a viewer into a buyer: followers who viewed or clicked it and
 * followers who bought it, over a recent window (cached by the implementation).
 *
 * @example
 * (await rates.purchaseRates()).get(courseId); // { viewers: 120, buyers: 9 }
 */
export interface CoursePurchaseRates {
  purchaseRates(): Promise<ReadonlyMap<string, { viewers: number; buyers: number }>>;
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

/** Why nobody's own pick could be made: nothing left to offer, or nothing known about the follower to pick by. */
export type NoPick = { skipped: 'no_offer' | 'no_signal' };

/**
 * Reasons that say nothing about the follower (what is popular or new for everyone): a marketing
 * message picked on them alone is a blast with extra steps, which followers answer with opt-outs.
 */
const NON_PERSONAL_REASONS = new Set(['trending', 'popular', 'cold_start_popular', 'non_personalised_popular', 'newest_on_sale']);
/** Sources that rank the same way for everyone, whatever reason they are labelled with. */
const NON_PERSONAL_SOURCES = new Set(['popularity', 'trending', 'newest']);
const isPersonal = (p: { reason: { code: string }; source: string }) => !NON_PERSONAL_REASONS.has(p.reason.code) && !NON_PERSONAL_SOURCES.has(p.source);
/** The recommender's first picks considered, and how much each place down the list costs. */
const CONSIDERED = 3;
const RANK_DISCOUNT = 0.7;
/**
 * A course's purchase rate among viewers is shrunk towards the catalogue's (at least 1 %) as if 20
 * more followers had viewed it: a handful of views moves nothing, a pattern over dozens does.
 */
const PRIOR_VIEWERS = 20;
const MIN_BASE_RATE = 0.01;

/** The catalogue's purchase rate among viewers, once per set of rates (they are cached for minutes, read per message). */
const baseRates = new WeakMap<ReadonlyMap<string, { viewers: number; buyers: number }>, number>();
function baseRateOf(rates: ReadonlyMap<string, { viewers: number; buyers: number }>): number {
  let base = baseRates.get(rates);
  if (base === undefined) {
    let [buyers, viewers] = [0, 0];
    for (const r of rates.values()) [buyers, viewers] = [buyers + r.buyers, viewers + r.viewers];
    base = Math.max(MIN_BASE_RATE, viewers > 0 ? buyers / viewers : 0);
    baseRates.set(rates, base);
  }
  return base;
}

/**
 * Picks one follower's own course for a variant that says `pick`. For `cross_sell`, the association
 * rule's offer when one applies; for `next_in_path`, the next course of a path the follower is on
 * (reason `next_in_path`, naming the course it follows). Otherwise the recommender's first picks for the follower (the one
 * chain: owned and off-sale courses excluded, ranked by the persona and price band) that rest on
 * something the follower did or said; among the first three, the one most likely to be bought:
 * its place in the list discounted by 0.7 per place, times its purchase rate among viewers (shrunk
 * towards the catalogue's), so a course many look at but few buy (too dear, say) gives way to the next.
 * `no_signal` when every pick rests on popularity alone; `no_offer` when there is none.
 *
 * @example
 * const picked = await pickCourseFor({ recommender, crossSell, rates }, followerId, 'cross_sell');
 * // { courseId: 'c…', pick: 'cross_sell', reason: null, crossSell: { source: 'association_rules', … } }
 */
export async function pickCourseFor(
  deps: { recommender: Recommender; crossSell?: CrossSellOffers; nextInPath?: NextCourseOffers; rates?: CoursePurchaseRates },
  followerId: string,
  pick: CoursePick,
): Promise<PickedCourse | NoPick> {
  if (pick === 'cross_sell' && deps.crossSell) {
    const offer = await deps.crossSell.offerFor(followerId);
    if (offer) return { courseId: offer.courseId, pick: 'cross_sell', reason: null, crossSell: offer.reason };
  }
  if (pick === 'next_in_path' && deps.nextInPath) {
    const next = await deps.nextInPath.nextFor(followerId);
    if (next) return { courseId: next.courseId, pick: 'next_in_path', reason: { code: 'next_in_path', params: { courseId: next.afterCourseId } }, crossSell: null };
  }
  const picks = await deps.recommender.recommend(followerId, { limit: CONSIDERED });
  if (picks.length === 0) return { skipped: 'no_offer' };
  const personal = picks.map((p, rank) => ({ p, rank })).filter(({ p }) => isPersonal(p));
  if (personal.length === 0) return { skipped: 'no_signal' };
  const rates = deps.rates ? await deps.rates.purchaseRates() : new Map<string, { viewers: number; buyers: number }>();
  const base = baseRateOf(rates);
  const expected = ({ p, rank }: { p: (typeof picks)[number]; rank: number }) => {
    const r = rates.get(p.courseId);
    return RANK_DISCOUNT ** rank * ((r?.buyers ?? 0) + PRIOR_VIEWERS * base) / ((r?.viewers ?? 0) + PRIOR_VIEWERS);
  };
  const best = personal.reduce((a, b) => (expected(b) > expected(a) ? b : a));
  return { courseId: best.p.courseId, pick: 'recommended', reason: best.p.reason, crossSell: null };
}
