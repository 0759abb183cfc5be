import type { Course } from '../../catalog/course.js';
import { INTEREST_HALF_LIFE_DAYS } from '../../followers/interest.js';
import { computePersona, type PersonaStats, type PriceBand } from '../../persona/index.js';
import type { CourseInteraction, MessageTerms } from '../../ports/index.js';
import { eventsByFollower, followerInteractions, type EventLog } from '../data/event-log.js';
import type { CatalogueIndex } from '../serving/catalogue-index.js';
import type { RecommenderModel } from '../serving/recommender-model.js';
import { candidatePool, featureRow, POSITIVE_KINDS, prepareFollower, type FollowerSignals } from '../serving/score-candidates.js';
import type { MomentRows } from './tune-blend.js';

const DAY_MS = 86_400_000;
/** Serving reads this many of a follower's latest events; training rows see the same. */
const HISTORY_LIMIT = 200;
/** Followers are mostly in China: the hour feature is read in UTC+8 when the zone is not known. */
const HOUR_OFFSET = 8;

/**
 * The interests and price band the persona would have shown at `at`, from the follower's course
 * events and message terms (onboarding topics, chat) strictly before it: the same rule as
 * computePersona, fed only the past.
 *
 * @example
 * const { interests, priceBand } = personaAt('f1', eventsOfF1, messagesOfF1, coursesById, impression.occurredAt);
 */
export function personaAt(
  followerId: string,
  events: readonly CourseInteraction[],
  messages: readonly MessageTerms[],
  courses: ReadonlyMap<string, Pick<Course, 'id' | 'tags' | 'priceMinor' | 'currency'>>,
  at: Date,
): { interests: Array<{ tag: string; weight: number }>; priceBand: PriceBand } {
  const atMs = at.getTime();
  const lambda = Math.LN2 / (INTEREST_HALF_LIFE_DAYS * DAY_MS);
  const decay = (ms: number) => Math.exp(-lambda * Math.max(0, atMs - ms));
  const byKey = new Map<string, PersonaStats['byKindAndCourse'][number]>();
  const named = new Map<string, PersonaStats['courses'][number]>();
  for (const e of events) {
    const ms = e.occurredAt.getTime();
    if (ms >= atMs) continue;
    const key = `${e.kind}|${e.courseId}`;
    const row = byKey.get(key) ?? { kind: e.kind, courseId: e.courseId, count: 0, decayed: 0 };
    row.count += 1;
    row.decayed += decay(ms);
    byKey.set(key, row);
    const course = courses.get(e.courseId);
    if (course) named.set(course.id, { id: course.id, tags: course.tags, priceMinor: course.priceMinor, currency: course.currency });
  }
  const terms = new Map<string, number>();
  for (const m of messages) {
    const ms = m.occurredAt.getTime();
    if (ms >= atMs) continue;
    for (const term of m.terms) terms.set(term, (terms.get(term) ?? 0) + decay(ms));
  }
  const stats: PersonaStats = {
    firstSeenAt: null, lastSeenAt: null, eventCount: 0, recentInteractions: 0, eventsLast30d: 0,
    byKindAndCourse: [...byKey.values()],
    courses: [...named.values()],
    messageTerms: [...terms].map(([term, decayed]) => ({ term, decayed })),
    hourHistogram: new Array<number>(24).fill(0),
    learning: { finishedCourses: 0, lastLessonAt: null },
    spent: [],
  };
  const persona = computePersona(followerId, 'UTC', stats, at);
  return { interests: persona.interests, priceBand: persona.priceBand };
}

export interface RankerRowsOptions {
  /** Moments (a follower's event times) in [fromMs, toMs) become rows. */
  fromMs: number;
  toMs: number;
  /** A candidate is a positive when the follower clicks, checks out or buys it within this long after the moment. */
  horizonMs: number;
  momentsPerFollower: number;
  /**
   * Negatives kept per moment, drawn at random from the candidates (not the blend's strongest: those
   * would handicap the blend when the two are compared, and trained worse rankers on MovieLens).
   */
  negativesPerMoment: number;
  /** At most this many followers give moments (a seeded sample), so a large audience costs no more than a sample of it. */
  maxFollowers?: number;
  random: () => number;
}

/**
 * Point-in-time training rows for the ranker. For each sampled moment t of a follower (the time of
 * one of their events in the window), the follower is seen as serving would have seen them at t:
 * history strictly before t, persona (interests, price band) from events and messages before t,
 * and a model fitted on events before the window. The candidates are the ones serving would have
 * scored, less the courses the follower already clicked, checked out or bought; a candidate is labelled 1 when the follower took it (click, checkout, purchase) in
 * [t, t + horizon]. Moments whose candidates hold no positive are dropped (nothing to rank).
 *
 * @example
 * const { rows, labels } = pointInTimeRankerRows(preModel, catalogue, events, messages, { fromMs, toMs, horizonMs: 14 * DAY, momentsPerFollower: 3, negativesPerMoment: 20, random });
 */
export function pointInTimeRankerRows(
  model: RecommenderModel,
  catalogue: CatalogueIndex,
  events: EventLog,
  messages: readonly MessageTerms[],
  options: RankerRowsOptions,
): MomentRows & { moments: number } {
  const byFollower = eventsByFollower(events);
  const messagesOf = groupByFollower(messages);
  const rows: number[][] = [];
  const labels: number[] = [];
  const groups: number[] = [];
  const ids: string[] = [];
  let moments = 0;
  for (const follower of sample(activeFollowers(events, options), options.maxFollowers ?? Infinity, options.random)) {
    const followerId = events.followerIds[follower]!;
    const list = followerInteractions(events, byFollower, follower);
    const times = [...new Set(list.map((e) => e.occurredAt.getTime()).filter((t) => t >= options.fromMs && t < options.toMs))];
    for (const t of sample(times, options.momentsPerFollower, options.random)) {
      const before = list.filter((e) => e.occurredAt.getTime() < t);
      const history = before.slice(-HISTORY_LIMIT).reverse();
      const at = new Date(t);
      const persona = personaAt(followerId, before, messagesOf.get(followerId) ?? [], catalogue.courses, at);
      const signals: FollowerSignals = { history, interests: persona.interests, priceBand: persona.priceBand, now: at, hour: (at.getUTCHours() + HOUR_OFFSET) % 24 };
      const prepared = prepareFollower(model, catalogue, signals);
      // Courses already taken before the moment are not candidates: the ranker learns what to show next, not what was seen.
      const tookBefore = new Set(before.filter((e) => POSITIVE_KINDS.has(e.kind)).map((e) => e.courseId));
      const taken = new Set(list.filter((e) => POSITIVE_KINDS.has(e.kind) && e.occurredAt.getTime() >= t && e.occurredAt.getTime() <= t + options.horizonMs).map((e) => e.courseId));
      const positives: string[] = [];
      const negatives: string[] = [];
      for (const id of candidatePool(model, catalogue, prepared)) {
        if (prepared.purchased.has(id) || tookBefore.has(id) || !catalogue.courses.has(id)) continue;
        if (signals.priceBand === 'budget' && catalogue.band.get(id) === 'premium') continue;
        if (taken.has(id)) positives.push(id);
        else negatives.push(id);
      }
      if (positives.length === 0) continue;
      moments++;
      // Feature rows only for the candidates kept: the training window keeps 20 negatives of a few
      // hundred, and building every row first was most of the garbage of this stage.
      for (const [label, members] of [[1, positives], [0, sample(negatives, options.negativesPerMoment, options.random)]] as const) {
        for (const id of members) {
          rows.push(featureRow(model, catalogue, prepared, signals, id));
          labels.push(label);
          groups.push(moments - 1);
          ids.push(id);
        }
      }
    }
  }
  return { rows, labels, moments, groups, ids };
}

/** Followers with an event in [fromMs, toMs), in the log's order. */
function activeFollowers(events: EventLog, window: Pick<RankerRowsOptions, 'fromMs' | 'toMs'>): number[] {
  const isActive = new Uint8Array(events.followerIds.length);
  for (let i = 0; i < events.length; i++) {
    if (events.atMs[i]! >= window.fromMs && events.atMs[i]! < window.toMs) isActive[events.follower[i]!] = 1;
  }
  const active: number[] = [];
  for (let f = 0; f < isActive.length; f++) if (isActive[f]) active.push(f);
  return active;
}

function groupByFollower<T extends { followerId: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.followerId);
    if (list) list.push(item);
    else out.set(item.followerId, [item]);
  }
  return out;
}

function sample<T>(values: readonly T[], n: number, random: () => number): T[] {
  if (values.length <= n) return [...values];
  const pool = [...values];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}
