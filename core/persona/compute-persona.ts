import type { Currency } from '../catalog/course.js';
import type { EventKind } from '../events/event-types.js';
import { tagForTerm } from '../text/tag-lexicon.js';
import type { PersonaStats } from './persona-stats.js';

export type LifecycleStage = 'new' | 'engaged' | 'customer' | 'at-risk' | 'dormant';
export type PriceBand = 'budget' | 'mid' | 'premium' | 'unknown';

export interface Persona {
  followerId: string;
  /** Top interests, strongest first; weights are scaled so the strongest is 1. */
  interests: Array<{ tag: string; weight: number }>;
  rfm: { recencyDays: number | null; frequency30d: number; monetary: Array<{ currency: Currency; amountMinor: number }>; r: number; f: number; m: number };
  lifecycle: LifecycleStage;
  /** Events per hour of day in the follower's own time zone. */
  activeHours: number[];
  /** The hour of day (follower's zone) with the most activity, or null with no history. */
  peakHour: number | null;
  priceBand: PriceBand;
  timeZone: string;
  computedAt: string;
}

/** How much each kind of event says about interest in a course's topics. Refunds count against. */
export const INTEREST_WEIGHTS: Readonly<Partial<Record<EventKind, number>>> = {
  view: 1, click: 1.5, like: 2, comment: 2, share: 2.5, checkout: 4, purchase: 6, refund: -6,
};
export const MESSAGE_TERM_WEIGHT = 1.5;
/** Interest decays with a 30-day half-life: what someone did last week counts more than last year. */
export const INTEREST_HALF_LIFE_DAYS = 30;

/**
 * Lifecycle thresholds, checked in this order:
 * - `new`: no events yet, or first seen within 14 days with fewer than 3 recent interactions;
 * - `dormant`: nothing for 30 days or more;
 * - `at-risk`: nothing for 14–29 days, or long-time follower with fewer than 3 interactions in 14 days;
 * - `customer`: has bought (net of refunds) and was active within 14 days;
 * - `engaged`: 3 or more interactions in the last 14 days, or an open checkout.
 */
export const LIFECYCLE = { recentDays: 14, dormantDays: 30, engagedInteractions: 3 } as const;

/** Price bands by the median price of courses looked at, in CNY fen (and Stars). */
export const PRICE_BANDS: Readonly<Record<Currency, { budgetBelow: number; premiumFrom: number }>> = {
  CNY: { budgetBelow: 10_000, premiumFrom: 50_000 },
  USD: { budgetBelow: 1_500, premiumFrom: 7_000 },
  XTR: { budgetBelow: 150, premiumFrom: 700 },
};

/** For the monetary score only, amounts are compared in CNY fen at these rough rates. */
const FEN_PER_MINOR: Readonly<Record<Currency, number>> = { CNY: 1, USD: 7.2, XTR: 10 };

const DAY_MS = 86_400_000;

function score(value: number, steps: readonly number[]): number {
  // steps are the lower bounds for scores 2..5
  let s = 1;
  for (const step of steps) if (value >= step) s += 1;
  return s;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Persona v0 from aggregated events: interests, RFM, lifecycle stage, active hours, price band.
 * Pure: the same stats and time give the same persona.
 *
 * @example
 * const persona = computePersona(followerId, 'Asia/Shanghai', stats, new Date());
 */
export function computePersona(followerId: string, timeZone: string, stats: PersonaStats, now: Date): Persona {
  const courseById = new Map(stats.courses.map((c) => [c.id, c]));

  const interest = new Map<string, number>();
  const add = (tag: string, weight: number) => interest.set(tag, (interest.get(tag) ?? 0) + weight);
  const lookedAtPrices = new Map<Currency, number[]>();
  let purchases = 0;
  let openCheckouts = 0;
  for (const row of stats.byKindAndCourse) {
    if (row.kind === 'purchase') purchases += row.count;
    if (row.kind === 'refund') purchases -= row.count;
    if (row.kind === 'checkout') openCheckouts += row.count;
    const course = row.courseId ? courseById.get(row.courseId) : undefined;
    if (!course) continue;
    const weight = INTEREST_WEIGHTS[row.kind] ?? 0;
    for (const tag of course.tags) add(tag, weight * row.decayed);
    if (weight > 0) {
      const prices = lookedAtPrices.get(course.currency) ?? [];
      for (let i = 0; i < Math.min(row.count, 50); i++) prices.push(course.priceMinor);
      lookedAtPrices.set(course.currency, prices);
    }
  }
  for (const { term, decayed } of stats.messageTerms) {
    const tag = tagForTerm(term);
    if (tag) add(tag, MESSAGE_TERM_WEIGHT * decayed);
  }
  const ranked = [...interest.entries()].filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1]).slice(0, 10);
  const top = ranked[0]?.[1] ?? 1;
  const interests = ranked.map(([tag, w]) => ({ tag, weight: Math.round((w / top) * 1000) / 1000 }));

  const recencyDays = stats.lastSeenAt ? Math.max(0, (now.getTime() - stats.lastSeenAt.getTime()) / DAY_MS) : null;
  const ageDays = stats.firstSeenAt ? (now.getTime() - stats.firstSeenAt.getTime()) / DAY_MS : 0;
  const fenSpent = stats.spent.reduce((sum, s) => sum + s.amountMinor * FEN_PER_MINOR[s.currency], 0);
  const rfm = {
    recencyDays: recencyDays === null ? null : Math.round(recencyDays * 10) / 10,
    frequency30d: stats.eventsLast30d,
    monetary: stats.spent.filter((s) => s.amountMinor !== 0),
    r: recencyDays === null ? 1 : 6 - score(recencyDays, [1, 7, 14, 30]),
    f: score(stats.eventsLast30d, [3, 8, 20, 50]),
    m: score(fenSpent, [1, 10_000, 50_000, 200_000]),
  };

  let lifecycle: LifecycleStage;
  const isRecentlyActive = (recencyDays ?? Infinity) < LIFECYCLE.recentDays;
  const isBusy = stats.interactionsLast14d >= LIFECYCLE.engagedInteractions;
  if (stats.eventCount === 0) lifecycle = 'new';
  else if ((recencyDays ?? Infinity) >= LIFECYCLE.dormantDays) lifecycle = 'dormant';
  else if (!isRecentlyActive) lifecycle = 'at-risk';
  else if (purchases > 0) lifecycle = 'customer';
  else if (isBusy || openCheckouts > 0) lifecycle = 'engaged';
  else lifecycle = ageDays < LIFECYCLE.recentDays ? 'new' : 'at-risk';

  let priceBand: PriceBand = 'unknown';
  const [bandCurrency, prices] = [...lookedAtPrices.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  const mid = prices ? median(prices) : null;
  if (bandCurrency && mid !== null) {
    const bands = PRICE_BANDS[bandCurrency];
    priceBand = mid < bands.budgetBelow ? 'budget' : mid >= bands.premiumFrom ? 'premium' : 'mid';
  }

  const activeHours = stats.hourHistogram.slice(0, 24);
  const peak = Math.max(...activeHours);
  return {
    followerId,
    interests,
    rfm,
    lifecycle,
    activeHours,
    peakHour: peak > 0 ? activeHours.indexOf(peak) : null,
    priceBand,
    timeZone,
    computedAt: now.toISOString(),
  };
}
