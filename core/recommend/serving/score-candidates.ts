import type { PriceBand } from '../../persona/index.js';
import type { CourseInteraction, RecommendationReason, RecommendationSource } from '../../ports/index.js';
import { profileOf } from '../segments/follower-features.js';
import { assignSegment } from '../segments/segment-model.js';
import type { CatalogueIndex } from './catalogue-index.js';
import type { RecommenderModel } from './recommender-model.js';
import { predictRanker, type RankerFeature, RANKER_FEATURES } from '../ranking/ranker.js';

/** How strongly each kind of event says "I like this course". Refunds cancel. */
export const EVENT_WEIGHTS: Readonly<Record<string, number>> = { view: 1, click: 2, like: 2, share: 2, comment: 2, checkout: 3, purchase: 5, refund: -5 };
/** Click, checkout and purchase count as a positive outcome of an impression (view). */
export const POSITIVE_KINDS: ReadonlySet<string> = new Set(['click', 'checkout', 'purchase']);
const NEW_COURSE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface FollowerSignals {
  /** Course events, newest first (live from the event log). */
  history: readonly CourseInteraction[];
  interests: ReadonlyArray<{ tag: string; weight: number }>;
  priceBand: PriceBand;
  now: Date;
  /** Hour of day in the follower's zone. */
  hour: number;
}

/** A generator's score for a course and what drove it most (a liked course id or a tag). */
type Contribution = { score: number; from?: string; strongest: number };

/** Per-generator scores for one follower, computed once per request. */
export interface PreparedFollower {
  liked: Map<string, number>;
  cf: Map<string, Contribution>;
  content: Map<string, Contribution>;
  rules: Map<string, Contribution>;
  interests: Map<string, Contribution>;
  segmentId: number | null;
  recency: number;
}

const add = (m: Map<string, Contribution>, id: string, score: number, from?: string) => {
  const c = m.get(id);
  if (!c) m.set(id, { score, from, strongest: score });
  else {
    c.score += score;
    if (from && score > c.strongest) [c.from, c.strongest] = [from, score];
  }
};

const normalise = (m: Map<string, Contribution>) => {
  const max = Math.max(1e-9, ...[...m.values()].map((c) => c.score));
  for (const c of m.values()) c.score /= max;
};

/**
 * Runs the cheap generators for one follower: item-item CF on the live history, content similarity,
 * association rules on owned courses, interest tags. Pure; O(history × neighbours + profile terms).
 *
 * @example
 * const prepared = prepareFollower(model, catalogue, signals);
 */
export function prepareFollower(model: RecommenderModel | null, catalogue: CatalogueIndex, signals: FollowerSignals): PreparedFollower {
  const liked = new Map<string, number>();
  for (const e of signals.history) {
    // Newer events count more: a 30-day half-life, like the persona's.
    const decay = Math.pow(0.5, Math.max(0, signals.now.getTime() - e.occurredAt.getTime()) / (30 * DAY_MS));
    liked.set(e.courseId, (liked.get(e.courseId) ?? 0) + (EVENT_WEIGHTS[e.kind] ?? 0) * decay);
  }
  for (const [id, w] of liked) if (w <= 0) liked.delete(id);
  const cf = new Map<string, Contribution>();
  const rules = new Map<string, Contribution>();
  if (model) {
    const nb = model.neighbours;
    for (const [id, w] of liked) {
      const i = model.indexOf.get(id);
      if (i === undefined) continue;
      for (let p = nb.offsets[i]!; p < nb.offsets[i + 1]!; p++) add(cf, model.artifact.courseIds[nb.neighbours[p]!]!, Math.log1p(w) * nb.similarities[p]!, id);
      for (const rule of model.rulesByAntecedent.get(id) ?? []) {
        if (rule.antecedent.every((a) => liked.has(a))) add(rules, rule.consequent, rule.confidence * Math.min(rule.lift, 5), id);
      }
    }
  }
  const content = new Map<string, Contribution>();
  const profile = new Map<string, number>();
  for (const [id, w] of liked) {
    const at = catalogue.content.byId.get(id);
    if (at === undefined) continue;
    for (const [term, x] of catalogue.content.vectors[at]!) profile.set(term, (profile.get(term) ?? 0) + Math.log1p(w) * x);
  }
  const topTerms = [...profile].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [term, x] of topTerms) for (const [id, w] of catalogue.postings.get(term) ?? []) add(content, id, x * w, term.startsWith('tag:') ? term.slice(4) : undefined);
  const interests = new Map<string, Contribution>();
  for (const { tag, weight } of signals.interests) for (const id of catalogue.byTag.get(tag) ?? []) add(interests, id, weight, tag);
  [cf, content, rules, interests].forEach(normalise);

  let segmentId: number | null = null;
  const segments = model?.artifact.segmentModel;
  if (segments && signals.history.length > 0) {
    segmentId = assignSegment(segments, profileOf('', signals.history, catalogue.courses, signals.now));
  }
  const last = signals.history[0]?.occurredAt.getTime();
  const recency = last === undefined ? 0 : Math.pow(0.5, (signals.now.getTime() - last) / (7 * DAY_MS));
  return { liked, cf, content, rules, interests, segmentId, recency };
}

const BAND_ORDER: Record<PriceBand, number> = { budget: 0, mid: 1, premium: 2, unknown: -1 };

/** The ranker's feature row for one course (order of RANKER_FEATURES). */
export function featureRow(model: RecommenderModel | null, catalogue: CatalogueIndex, prepared: PreparedFollower, signals: FollowerSignals, courseId: string): number[] {
  const i = model?.indexOf.get(courseId);
  const a = model?.artifact;
  const segPop = a && i !== undefined && prepared.segmentId !== null ? a.segmentPopularity[prepared.segmentId]?.[i] ?? 0 : 0;
  const band = catalogue.band.get(courseId) ?? 'unknown';
  const gap = signals.priceBand === 'unknown' ? 0 : Math.abs(BAND_ORDER[band] - BAND_ORDER[signals.priceBand]);
  const created = catalogue.courses.get(courseId)?.createdAt.getTime() ?? 0;
  const values: Record<RankerFeature, number> = {
    item_cf: prepared.cf.get(courseId)?.score ?? 0,
    content: prepared.content.get(courseId)?.score ?? 0,
    popularity: a && i !== undefined ? a.popularity[i]! : 0,
    segment_popularity: segPop,
    trending: a && i !== undefined ? a.trending[i]! : 0,
    association_rules: prepared.rules.get(courseId)?.score ?? 0,
    interests: prepared.interests.get(courseId)?.score ?? 0,
    price_match: gap === 0 ? 1 : gap === 1 ? 0.5 : 0,
    recency: prepared.recency,
    hour_sin: Math.sin((2 * Math.PI * signals.hour) / 24),
    hour_cos: Math.cos((2 * Math.PI * signals.hour) / 24),
    is_new: signals.now.getTime() - created < NEW_COURSE_DAYS * DAY_MS ? 1 : 0,
  };
  return RANKER_FEATURES.map((f) => values[f]);
}

export interface ScoredCandidate {
  id: string;
  score: number;
  reason: RecommendationReason;
  source: RecommendationSource;
}

/**
 * Scores every eligible course for one follower with the ranker and picks a reason from the
 * generator that contributed most. Owned, excluded and off-band (budget follower, premium course)
 * courses are left out; only courses on sale are in the catalogue.
 *
 * @example
 * const ranked = scoreCandidates(model, catalogue, signals, excluded);
 */
export function scoreCandidates(
  model: RecommenderModel | null,
  catalogue: CatalogueIndex,
  signals: FollowerSignals,
  excluded: ReadonlySet<string>,
  ranker: Parameters<typeof predictRanker>[0],
): ScoredCandidate[] {
  const prepared = prepareFollower(model, catalogue, signals);
  const pool = new Set<string>([...prepared.cf.keys(), ...prepared.content.keys(), ...prepared.rules.keys(), ...prepared.interests.keys()]);
  if (model) {
    const a = model.artifact;
    const byPop = (scores: readonly number[]) => scores.map((s, i) => [s, i] as const).sort((x, y) => y[0] - x[0]).slice(0, 100);
    for (const [, i] of byPop(a.popularity)) pool.add(a.courseIds[i]!);
    if (prepared.segmentId !== null) for (const [, i] of byPop(a.segmentPopularity[prepared.segmentId] ?? [])) pool.add(a.courseIds[i]!);
    for (const [, i] of byPop(a.trending).slice(0, 30)) pool.add(a.courseIds[i]!);
  }
  if (pool.size < 50) for (const id of catalogue.courses.keys()) pool.add(id);
  const isCold = prepared.liked.size === 0;
  const out: ScoredCandidate[] = [];
  for (const id of pool) {
    if (excluded.has(id) || prepared.liked.has(id) && signals.history.some((e) => e.courseId === id && e.kind === 'purchase')) continue;
    const course = catalogue.courses.get(id);
    if (!course) continue;
    if (signals.priceBand === 'budget' && catalogue.band.get(id) === 'premium') continue;
    const x = featureRow(model, catalogue, prepared, signals, id);
    const score = predictRanker(ranker, x);
    out.push({ id, score, ...explain(x, prepared, id, isCold, course.tags[0]) });
  }
  return out.sort((p, q) => q.score - p.score || p.id.localeCompare(q.id));
}

function explain(x: number[], prepared: PreparedFollower, id: string, isCold: boolean, firstTag: string | undefined): Pick<ScoredCandidate, 'reason' | 'source'> {
  const f = (name: RankerFeature) => x[RANKER_FEATURES.indexOf(name)]!;
  if (isCold) {
    const interest = prepared.interests.get(id);
    if (interest?.from) return { reason: { code: 'cold_start_interest', params: { tag: interest.from } }, source: 'interests' };
    return { reason: { code: 'cold_start_popular', params: {} }, source: 'popularity' };
  }
  const options: Array<[number, () => Pick<ScoredCandidate, 'reason' | 'source'>]> = [
    [f('association_rules') * 1.2, () => ({ reason: { code: 'bought_together', params: { courseId: prepared.rules.get(id)!.from! } }, source: 'association_rules' })],
    [f('item_cf'), () => ({ reason: { code: 'because_you_liked', params: { courseId: prepared.cf.get(id)!.from! } }, source: 'item_cf' })],
    [f('content') * 0.9, () => (f('is_new') ? { reason: { code: 'new_in_topic', params: { tag: prepared.content.get(id)!.from ?? firstTag ?? '' } }, source: 'content' } : { reason: { code: 'matches_interest', params: { tag: prepared.content.get(id)!.from ?? firstTag ?? '' } }, source: 'content' })],
    [f('interests') * 0.8, () => ({ reason: { code: 'matches_interest', params: { tag: prepared.interests.get(id)!.from ?? '' } }, source: 'interests' })],
    [f('segment_popularity') * 0.6, () => ({ reason: { code: 'popular_with_similar', params: {} }, source: 'segment_popularity' })],
    [f('trending') * 0.5, () => ({ reason: { code: 'trending', params: {} }, source: 'trending' })],
  ];
  const [best] = options.filter(([s]) => s > 0).sort((a, b) => b[0] - a[0]);
  return best ? best[1]() : { reason: { code: 'popular_with_similar', params: {} }, source: 'popularity' };
}
