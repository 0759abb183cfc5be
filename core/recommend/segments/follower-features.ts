import type { CourseInteraction } from '../../ports/index.js';

/** What training knows of a course. */
export interface CourseFacts {
  id: string;
  tags: string[];
  priceMinor: number;
  createdAt: Date;
}

/** Behaviour of one follower, summarised from their course events. */
export interface FollowerProfile {
  followerId: string;
  events: number;
  purchases: number;
  recencyDays: number;
  /** Median price of courses interacted with, minor units. */
  medianPriceMinor: number;
  /** Share of events between 22:00 and 06:00 (UTC+8, where most followers are). */
  nightShare: number;
  /** Tag → share of this follower's tag mentions. */
  tagShares: Map<string, number>;
}

const DAY_MS = 86_400_000;

/**
 * Summarises each follower's course interactions into a profile used by segments and the ranker.
 *
 * @example
 * const profiles = followerProfiles(interactions, coursesById, new Date());
 */
export function followerProfiles(interactions: readonly CourseInteraction[], courses: ReadonlyMap<string, CourseFacts>, now: Date): Map<string, FollowerProfile> {
  const grouped = new Map<string, CourseInteraction[]>();
  for (const e of interactions) {
    const list = grouped.get(e.followerId) ?? [];
    list.push(e);
    grouped.set(e.followerId, list);
  }
  const out = new Map<string, FollowerProfile>();
  for (const [followerId, list] of grouped) out.set(followerId, profileOf(followerId, list, courses, now));
  return out;
}

/** One follower's profile from their events (any order). */
export function profileOf(followerId: string, list: readonly CourseInteraction[], courses: ReadonlyMap<string, CourseFacts>, now: Date): FollowerProfile {
  let last = 0;
  let night = 0;
  let purchases = 0;
  const prices: number[] = [];
  const tags = new Map<string, number>();
  let tagTotal = 0;
  for (const e of list) {
    const t = e.occurredAt.getTime();
    last = Math.max(last, t);
    const hour = (new Date(t).getUTCHours() + 8) % 24;
    if (hour >= 22 || hour < 6) night++;
    if (e.kind === 'purchase') purchases++;
    if (e.kind === 'refund') purchases--;
    const course = courses.get(e.courseId);
    if (!course) continue;
    prices.push(course.priceMinor);
    for (const tag of course.tags) {
      tags.set(tag, (tags.get(tag) ?? 0) + 1);
      tagTotal++;
    }
  }
  prices.sort((a, b) => a - b);
  const tagShares = new Map([...tags].map(([tag, c]) => [tag, c / (tagTotal || 1)] as const));
  return {
    followerId,
    events: list.length,
    purchases: Math.max(0, purchases),
    recencyDays: last ? Math.max(0, (now.getTime() - last) / DAY_MS) : 365,
    medianPriceMinor: prices.length ? prices[prices.length >> 1]! : 0,
    nightShare: list.length ? night / list.length : 0,
    tagShares,
  };
}
