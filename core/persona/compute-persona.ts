import type { Currency } from '../catalog/course.js';
import { INTEREST_WEIGHTS, MESSAGE_TERM_WEIGHT, MIN_INTEREST_WEIGHT } from '../followers/interest.js';
import { lifecycleStage, type LifecycleStage } from '../followers/lifecycle.js';
import { tagForTerm } from '../text/tag-lexicon.js';
import { describeOutlook, personaScoresOf, type PersonaOutlook, type PersonaScores } from './describe-outlook.js';
import type { PersonaStats } from './persona-stats.js';

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
  /** Engagement with bought courses: how many they finished, and when they last learned. */
  learning: { finishedCourses: number; lastLessonAt: string | null };
  /** Purchase propensity and churn risk in words (both languages), from the last scoring run. */
  outlook: PersonaOutlook;
  /** The numbers behind `outlook`; null when the follower has not been scored. */
  scores: PersonaScores | null;
  timeZone: string;
  computedAt: string;
}

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
 * Persona v0 from aggregated events: interests, RFM, lifecycle stage, active hours, price band, and
 * the last scoring run's purchase propensity and churn risk.
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
  let checkouts = 0;
  for (const row of stats.byKindAndCourse) {
    if (row.kind === 'purchase') purchases += row.count;
    if (row.kind === 'refund') purchases -= row.count;
    if (row.kind === 'checkout') checkouts += row.count;
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
  const ranked = [...interest.entries()].filter(([, w]) => w > MIN_INTEREST_WEIGHT).sort((a, b) => b[1] - a[1]).slice(0, 10);
  const top = ranked[0]?.[1] ?? 1;
  const interests = ranked.map(([tag, w]) => ({ tag, weight: Math.round((w / top) * 1000) / 1000 }));

  const recencyDays = stats.lastSeenAt ? Math.max(0, (now.getTime() - stats.lastSeenAt.getTime()) / DAY_MS) : null;
  const fenSpent = stats.spent.reduce((sum, s) => sum + s.amountMinor * FEN_PER_MINOR[s.currency], 0);
  const rfm = {
    recencyDays: recencyDays === null ? null : Math.round(recencyDays * 10) / 10,
    frequency30d: stats.eventsLast30d,
    monetary: stats.spent.filter((s) => s.amountMinor !== 0),
    r: recencyDays === null ? 1 : 6 - score(recencyDays, [1, 7, 14, 30]),
    f: score(stats.eventsLast30d, [3, 8, 20, 50]),
    m: score(fenSpent, [1, 10_000, 50_000, 200_000]),
  };

  const lifecycle = lifecycleStage(
    { eventCount: stats.eventCount, firstSeenAt: stats.firstSeenAt, lastSeenAt: stats.lastSeenAt, recentInteractions: stats.recentInteractions, netPurchases: purchases, checkouts },
    now,
  );

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
    learning: { finishedCourses: stats.learning.finishedCourses, lastLessonAt: stats.learning.lastLessonAt?.toISOString() ?? null },
    outlook: describeOutlook(stats.scores),
    scores: personaScoresOf(stats.scores),
    timeZone,
    computedAt: now.toISOString(),
  };
}
