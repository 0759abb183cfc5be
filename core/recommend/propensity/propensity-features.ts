import type { Currency } from '../../catalog/course.js';
import { EVENT_KINDS, type EventKind } from '../../events/event-types.js';
import { PRICE_BANDS } from '../../persona/compute-persona.js';
import type { ActivityEvent } from '../../ports/index.js';
import { EventLogBuilder, type EventLog } from '../data/event-log.js';

/** What the features need to know of a course: its price and currency. */
export interface PricedCourse {
  priceMinor: number;
  currency: Currency;
}

/** The features, in the order of a feature row (all `log1p` of counts or days unless said). */
export const PROPENSITY_FEATURES = [
  'recency_days', 'tenure_days', 'events_7d', 'events_30d', 'engagement_30d', 'messages_30d', 'checkouts_30d',
  'net_purchases', 'monetary', 'lessons_total', 'learning_30d', 'price_band',
] as const;

const DAY_MS = 86_400_000;
const ENGAGEMENT = new Set<EventKind>(['view', 'click', 'like', 'share', 'comment']);
const LEARNING = new Set<EventKind>(['lesson_open', 'lesson_complete', 'check_in']);

/**
 * One follower's events, oldest first (then by id), as columns: views into one copy of the whole
 * log (see {@link timelinesOf}), so 50,000 followers' million events cost ~13 bytes each.
 */
export interface FollowerTimeline {
  /** Index into EVENT_KINDS. */
  readonly kind: Uint8Array;
  readonly atMs: Float64Array;
  /** Index into `courseIds`; −1 when the event names no course. */
  readonly course: Int32Array;
  readonly courseIds: readonly string[];
}

/**
 * Groups events by follower, each follower's oldest first; followers in order of their first event
 * given.
 *
 * @example
 * const timelines = groupActivity(events); // Map { followerId => FollowerTimeline }
 */
export function groupActivity(events: Iterable<ActivityEvent>): Map<string, FollowerTimeline> {
  const builder = new EventLogBuilder();
  for (const e of events) builder.add(e);
  return timelinesOf(builder.build(), builder.followersInOrderAdded());
}

/**
 * Each follower's timeline from an event log, listed in `followerOrder` (the order the examples
 * and scores come out in).
 *
 * @example
 * const timelines = timelinesOf(builder.build(), builder.followersInOrderAdded());
 */
export function timelinesOf(log: EventLog, followerOrder: readonly string[]): Map<string, FollowerTimeline> {
  const nFollowers = log.followerIds.length;
  const offsets = new Int32Array(nFollowers + 1);
  for (let i = 0; i < log.length; i++) offsets[log.follower[i]! + 1]! += 1;
  for (let f = 0; f < nFollowers; f++) offsets[f + 1]! += offsets[f]!;
  // Copied grouped by follower (the log is in time order, so each follower's stay oldest first).
  const kind = new Uint8Array(log.length);
  const atMs = new Float64Array(log.length);
  const course = new Int32Array(log.length);
  const cursor = offsets.slice(0, nFollowers);
  for (let i = 0; i < log.length; i++) {
    const at = cursor[log.follower[i]!]!++;
    kind[at] = log.kind[i]!;
    atMs[at] = log.atMs[i]!;
    course[at] = log.course[i]!;
  }
  const numberOf = new Map(log.followerIds.map((id, f) => [id, f]));
  return new Map(followerOrder.map((id) => {
    const f = numberOf.get(id)!;
    const [from, to] = [offsets[f]!, offsets[f + 1]!];
    return [id, { kind: kind.subarray(from, to), atMs: atMs.subarray(from, to), course: course.subarray(from, to), courseIds: log.courseIds }];
  }));
}

/**
 * A course's price relative to its currency's premium threshold (persona PRICE_BANDS), so yuan,
 * dollars and Stars compare: 1 means "premium starts here".
 */
const relativePrice = (course: PricedCourse) => course.priceMinor / PRICE_BANDS[course.currency].premiumFrom;

/**
 * One follower's feature row as of `cutoff`: only events strictly before it count, so a later
 * event can never leak into a row. Null when the follower had no event before the cut-off (nothing
 * to score yet). Recency, tenure, frequency (7 and 30 days), engagement (views, clicks, likes,
 * shares, comments in 30 days), messages, checkouts, net purchases, money spent (course prices
 * relative to their currency's premium band), learning (lessons and check-ins, ever and in 30 days)
 * and the price band of what they look at.
 *
 * @example
 * featuresAsOf(timeline, coursesById, new Date('2026-11-01T00:00:00Z')); // [1.2, 3.4, 0, 1.1, …] or null
 */
export function featuresAsOf(timeline: FollowerTimeline, courses: ReadonlyMap<string, PricedCourse>, cutoff: Date): number[] | null {
  const t = cutoff.getTime();
  let first = Infinity;
  let last = -Infinity;
  let events7 = 0, events30 = 0, engagement30 = 0, messages30 = 0, checkouts30 = 0, purchases = 0, lessons = 0, learning30 = 0, monetary = 0;
  const lookedAt: number[] = [];
  for (let i = 0; i < timeline.atMs.length; i++) {
    const at = timeline.atMs[i]!;
    if (at >= t) break;
    const kind = EVENT_KINDS[timeline.kind[i]!]!;
    first = Math.min(first, at);
    last = Math.max(last, at);
    const age = t - at;
    const isRecent = age < 30 * DAY_MS;
    if (age < 7 * DAY_MS) events7++;
    if (isRecent) events30++;
    if (isRecent && ENGAGEMENT.has(kind)) engagement30++;
    if (isRecent && kind === 'message') messages30++;
    if (isRecent && kind === 'checkout') checkouts30++;
    if (LEARNING.has(kind)) {
      if (kind !== 'lesson_open') lessons++;
      if (isRecent) learning30++;
    }
    const course = timeline.course[i]! >= 0 ? courses.get(timeline.courseIds[timeline.course[i]!]!) : undefined;
    if (kind === 'purchase') {
      purchases++;
      if (course) monetary += relativePrice(course);
    }
    if (kind === 'refund') {
      purchases--;
      if (course) monetary -= relativePrice(course);
    }
    if (course && ENGAGEMENT.has(kind) && lookedAt.length < 200) lookedAt.push(relativePrice(course));
  }
  if (first === Infinity) return null;
  lookedAt.sort((a, b) => a - b);
  const priceBand = lookedAt.length ? Math.min(3, lookedAt[lookedAt.length >> 1]!) : 0;
  return [
    Math.log1p((t - last) / DAY_MS),
    Math.log1p((t - first) / DAY_MS),
    Math.log1p(events7),
    Math.log1p(events30),
    Math.log1p(engagement30),
    Math.log1p(messages30),
    Math.log1p(checkouts30),
    Math.log1p(Math.max(0, purchases)),
    Math.log1p(Math.max(0, monetary)),
    Math.log1p(lessons),
    Math.log1p(learning30),
    priceBand,
  ];
}

/**
 * What happened in the `horizonDays` from `cutoff` on: a purchase (the propensity label), and no
 * activity at all (the churn label; an unfollow is not activity).
 *
 * @example
 * outcomesAfter(timeline, cutoff, 14); // { purchased: false, churned: true }
 */
export function outcomesAfter(timeline: FollowerTimeline, cutoff: Date, horizonDays: number): { purchased: boolean; churned: boolean } {
  const from = cutoff.getTime();
  const to = from + horizonDays * DAY_MS;
  let purchased = false;
  let active = false;
  for (let i = 0; i < timeline.atMs.length; i++) {
    const at = timeline.atMs[i]!;
    if (at < from) continue;
    if (at >= to) break;
    const kind = EVENT_KINDS[timeline.kind[i]!]!;
    if (kind === 'purchase') purchased = true;
    if (kind !== 'unfollow') active = true;
  }
  return { purchased, churned: !active };
}
