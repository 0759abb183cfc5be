/**
 * A follower's lifecycle stage: the one definition the persona shows and broadcast segments select
 * on. models/repositories/pg-follower-concepts.ts generates the segment SQL from these constants,
 * and test/integration/follower-concepts.test.ts holds the two together.
 */

/** The stages, in the order the rules below are checked. */
export const LIFECYCLE_STAGES = ['new', 'dormant', 'at-risk', 'customer', 'engaged'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/**
 * Names that stored segment rules may still use. `active` was the campaign segments' word for a
 * follower who was neither new, dormant nor a customer; the nearest stage is `engaged`.
 */
export const LEGACY_LIFECYCLE_NAMES = { active: 'engaged' } as const satisfies Readonly<Record<string, LifecycleStage>>;

/**
 * Thresholds, checked in this order:
 * - `new`: no events yet;
 * - `dormant`: nothing for `dormantDays` (30) days or more;
 * - `at-risk`: nothing for `recentDays` (14) to `dormantDays` days;
 * - `customer`: bought (purchases net of refunds) and active within `recentDays`;
 * - `engaged`: `engagedInteractions` (3) or more interactions within `recentDays`, or ever a checkout;
 * - otherwise `new` when first seen within `recentDays`, else `at-risk` (an old follower gone quiet).
 */
export const LIFECYCLE_THRESHOLDS = { recentDays: 14, dormantDays: 30, engagedInteractions: 3 } as const;

/** Event kinds that are not interactions: following says nothing about engagement. */
export const NON_INTERACTION_KINDS = ['follow', 'unfollow'] as const;

/** What the stage is decided from; the persona's event aggregates provide it. */
export interface LifecycleFacts {
  eventCount: number;
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  /** Events other than {@link NON_INTERACTION_KINDS} within the last `recentDays`. */
  recentInteractions: number;
  /** Purchase events minus refund events, ever. */
  netPurchases: number;
  /** Checkout events, ever. */
  checkouts: number;
}

const DAY_MS = 86_400_000;

/** A stage name as stored segments may spell it: current names as they are, legacy names mapped. */
export function toLifecycleStage(name: string): LifecycleStage | undefined {
  if ((LIFECYCLE_STAGES as readonly string[]).includes(name)) return name as LifecycleStage;
  return Object.hasOwn(LEGACY_LIFECYCLE_NAMES, name) ? LEGACY_LIFECYCLE_NAMES[name as keyof typeof LEGACY_LIFECYCLE_NAMES] : undefined;
}

/**
 * The lifecycle stage of a follower at `now`. Pure.
 *
 * @example
 * lifecycleStage({ eventCount: 5, firstSeenAt, lastSeenAt: now, recentInteractions: 4, netPurchases: 0, checkouts: 0 }, now); // 'engaged'
 */
export function lifecycleStage(facts: LifecycleFacts, now: Date): LifecycleStage {
  const t = LIFECYCLE_THRESHOLDS;
  if (facts.eventCount === 0 || !facts.lastSeenAt) return 'new';
  const quietMs = now.getTime() - facts.lastSeenAt.getTime();
  if (quietMs >= t.dormantDays * DAY_MS) return 'dormant';
  if (quietMs >= t.recentDays * DAY_MS) return 'at-risk';
  if (facts.netPurchases > 0) return 'customer';
  if (facts.recentInteractions >= t.engagedInteractions || facts.checkouts > 0) return 'engaged';
  const ageMs = facts.firstSeenAt ? now.getTime() - facts.firstSeenAt.getTime() : 0;
  return ageMs < t.recentDays * DAY_MS ? 'new' : 'at-risk';
}
