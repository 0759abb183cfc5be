import type { PriceBand } from '../../persona/index.js';
import type { CourseInteraction, RecommendationReason, RecommendationSource } from '../../ports/index.js';
import { profileOf } from '../segments/follower-features.js';
import { assignSegment } from '../segments/segment-model.js';
import type { CatalogueIndex } from './catalogue-index.js';
import type { GeneratorName, RecommenderModel } from './recommender-model.js';
import type { ItemNeighbours } from '../algorithms/item-knn.js';
import { topK } from '../data/top-k.js';
import { featureContributions, predictRanker, type RankerFeature, RANKER_FEATURES, type RankerWeights } from '../ranking/ranker.js';

/** How strongly each kind of event says "I like this course". Refunds cancel. */
export const EVENT_WEIGHTS: Readonly<Record<string, number>> = { view: 1, click: 2, like: 2, share: 2, comment: 2, checkout: 3, purchase: 5, refund: -5 };
/** Click, checkout and purchase count as a positive outcome of an impression (view). */
export const POSITIVE_KINDS: ReadonlySet<string> = new Set(['click', 'checkout', 'purchase']);
const NEW_COURSE_DAYS = 30;
/** Terms of the follower's content profile that propose courses. */
const PROFILE_TERMS = 30;
/** Courses each profile term proposes: its strongest postings (a word every course shares would otherwise propose the whole catalogue). */
const POSTINGS_PER_TERM = 200;
/** Candidates each generator nominates for the pool: its best-scored ones. */
const NOMINATED_PER_GENERATOR = 100;
/** The reason of a pick that matches what a follower without course history said they want to learn. */
export const STATED_INTEREST_REASON = 'matches_what_you_said';
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

/** A generator's score for a course and what drove it most (a liked course id or a tag that added to it, never one that took away). */
type Contribution = { score: number; from?: string; strongest: number };

/** Per-generator scores for one follower, computed once per request. */
export interface PreparedFollower {
  liked: Map<string, number>;
  /** Courses bought and not refunded: never offered again. */
  purchased: Set<string>;
  cf: Map<string, Contribution>;
  ease: Map<string, Contribution>;
  rp3beta: Map<string, Contribution>;
  content: Map<string, Contribution>;
  rules: Map<string, Contribution>;
  interests: Map<string, Contribution>;
  segmentId: number | null;
  recency: number;
}

const add = (m: Map<string, Contribution>, id: string, score: number, from?: string) => {
  const c = m.get(id);
  if (!c) m.set(id, score > 0 ? { score, from, strongest: score } : { score, strongest: 0 });
  else {
    c.score += score;
    if (from && score > c.strongest) [c.from, c.strongest] = [from, score];
  }
};

/** Scales a generator's scores into [-1, 1] by the largest magnitude (EASE's can be negative). */
const normalise = (m: Map<string, Contribution>) => {
  let max = 1e-9;
  for (const c of m.values()) if (Math.abs(c.score) > max) max = Math.abs(c.score);
  for (const c of m.values()) c.score /= max;
};

function walkNeighbours(model: RecommenderModel, nb: ItemNeighbours | null, liked: ReadonlyMap<string, number>, weight: (w: number) => number): Map<string, Contribution> {
  const out = new Map<string, Contribution>();
  if (!nb) return out;
  for (const [id, w] of liked) {
    const i = model.indexOf.get(id);
    if (i === undefined) continue;
    for (let p = nb.offsets[i]!; p < nb.offsets[i + 1]!; p++) add(out, model.artifact.courseIds[nb.neighbours[p]!]!, weight(w) * nb.similarities[p]!, id);
  }
  return out;
}

/**
 * Runs the candidate generators for one follower: item-kNN, EASE and RP3β on the live history,
 * content similarity, association rules on owned courses, interest tags. Pure;
 * O(history × neighbours + profile terms).
 *
 * @example
 * const prepared = prepareFollower(model, catalogue, signals);
 */
export function prepareFollower(model: RecommenderModel | null, catalogue: CatalogueIndex, signals: FollowerSignals, disabled?: ReadonlySet<GeneratorName>): PreparedFollower {
  const liked = new Map<string, number>();
  const bought = new Map<string, number>();
  for (const e of signals.history) {
    // Newer events count more: a 30-day half-life, like the persona's.
    const decay = Math.pow(0.5, Math.max(0, signals.now.getTime() - e.occurredAt.getTime()) / (30 * DAY_MS));
    liked.set(e.courseId, (liked.get(e.courseId) ?? 0) + (EVENT_WEIGHTS[e.kind] ?? 0) * decay);
    if (e.kind === 'purchase' || e.kind === 'refund') bought.set(e.courseId, (bought.get(e.courseId) ?? 0) + (e.kind === 'purchase' ? 1 : -1));
  }
  for (const [id, w] of liked) if (w <= 0) liked.delete(id);
  const purchased = new Set([...bought].filter(([, n]) => n > 0).map(([id]) => id));
  const isOn = (g: GeneratorName) => !disabled?.has(g) && (!model || model.generators.has(g));
  const rules = new Map<string, Contribution>();
  let cf = new Map<string, Contribution>();
  let ease = new Map<string, Contribution>();
  let rp3beta = new Map<string, Contribution>();
  if (model) {
    cf = isOn('item_cf') ? walkNeighbours(model, model.neighbours, liked, Math.log1p) : cf;
    // EASE and RP3β are fitted on presence (0/1), so they score presence too.
    ease = disabled?.has('ease') ? ease : walkNeighbours(model, model.ease, liked, () => 1);
    rp3beta = disabled?.has('rp3beta') ? rp3beta : walkNeighbours(model, model.rp3beta, liked, () => 1);
    for (const [id] of liked) {
      for (const rule of model.rulesByAntecedent.get(id) ?? []) {
        if (rule.antecedent.every((a) => liked.has(a))) add(rules, rule.consequent, rule.confidence * Math.min(rule.lift, 5), id);
      }
    }
  }
  const content = new Map<string, Contribution>();
  if (isOn('content')) {
    const profile = new Map<string, number>();
    for (const [id, w] of liked) {
      const at = catalogue.content.byId.get(id);
      if (at === undefined) continue;
      for (const [term, x] of catalogue.content.vectors[at]!) profile.set(term, (profile.get(term) ?? 0) + Math.log1p(w) * x);
    }
    const topTerms = [...profile].sort((a, b) => b[1] - a[1]).slice(0, PROFILE_TERMS);
    for (const [term, x] of topTerms) {
      const from = term.startsWith('tag:') ? term.slice(4) : undefined;
      const postings = catalogue.postings.get(term) ?? [];
      for (let p = 0; p < Math.min(postings.length, POSTINGS_PER_TERM); p++) add(content, postings[p]![0], x * postings[p]![1], from);
    }
  }
  const interests = new Map<string, Contribution>();
  for (const { tag, weight } of signals.interests) for (const id of catalogue.byTag.get(tag) ?? []) add(interests, id, weight, tag);
  [cf, ease, rp3beta, content, rules, interests].forEach(normalise);

  let segmentId: number | null = null;
  const segments = model?.artifact.segmentModel;
  if (segments && signals.history.length > 0) {
    segmentId = assignSegment(segments, profileOf('', signals.history, catalogue.courses, signals.now));
  }
  const last = signals.history[0]?.occurredAt.getTime();
  const recency = last === undefined ? 0 : Math.pow(0.5, (signals.now.getTime() - last) / (7 * DAY_MS));
  return { liked, purchased, cf, ease, rp3beta, content, rules, interests, segmentId, recency };
}

/** Below this many candidates the pool is filled from the catalogue, so a tiny catalogue still yields a full list. */
const MIN_POOL = 50;
/** The fill stops here: a large catalogue without a model is never scored whole. */
const FILL_UP_TO = 200;

/**
 * The courses worth scoring for one follower: the best {@link NOMINATED_PER_GENERATOR} of each
 * generator and the candidates the model precomputed at training time (most popular overall, in
 * the follower's segment, trending). Every generator's score still counts for every course in the pool.
 * A pool still under {@link MIN_POOL} (a tiny catalogue, or no model yet) is filled from the
 * catalogue up to {@link FILL_UP_TO} courses, so the pool never grows with the catalogue's size.
 *
 * @example
 * const pool = candidatePool(model, catalogue, prepared);
 */
export function candidatePool(model: RecommenderModel | null, catalogue: CatalogueIndex, prepared: PreparedFollower): Set<string> {
  const pool = new Set<string>();
  for (const scores of [prepared.cf, prepared.ease, prepared.rp3beta, prepared.content, prepared.rules, prepared.interests]) for (const id of nominated(scores)) pool.add(id);
  if (model) {
    const { courseIds, candidates } = model.artifact;
    const segment = prepared.segmentId === null ? [] : candidates.segmentPopular[prepared.segmentId] ?? [];
    for (const list of [candidates.popular, segment, candidates.trending]) for (const i of list) pool.add(courseIds[i]!);
  }
  if (pool.size < MIN_POOL) {
    for (const id of catalogue.courses.keys()) {
      if (pool.size >= FILL_UP_TO) break;
      pool.add(id);
    }
  }
  return pool;
}

/** The best-scored ids of one generator (all of them when it proposed few); ties by id, so the pool is deterministic. */
function nominated(scores: ReadonlyMap<string, Contribution>): Iterable<string> {
  if (scores.size <= NOMINATED_PER_GENERATOR) return scores.keys();
  const ids = [...scores.keys()];
  const best = topK(Float64Array.from(ids, (id) => scores.get(id)!.score), NOMINATED_PER_GENERATOR);
  return best.map((i) => ids[i]!);
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
    ease: prepared.ease.get(courseId)?.score ?? 0,
    rp3beta: prepared.rp3beta.get(courseId)?.score ?? 0,
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
 * Scores every eligible course of the candidate pool for one follower with the ranker and explains
 * each by the feature that added most to its score. Owned (bought), excluded and off-band (budget
 * follower, premium course) courses are left out; only courses on sale are in the catalogue.
 * Explaining costs a ranker pass per feature, so only the best `keep` candidates of each kind
 * (matching what a follower without history said, and the others) are explained and returned.
 *
 * @example
 * const ranked = scoreCandidates(model, catalogue, signals, excluded, ranker);
 */
export function scoreCandidates(
  model: RecommenderModel | null,
  catalogue: CatalogueIndex,
  signals: FollowerSignals,
  excluded: ReadonlySet<string>,
  ranker: RankerWeights,
  keep = Infinity,
  disabled?: ReadonlySet<GeneratorName>,
): ScoredCandidate[] {
  const prepared = prepareFollower(model, catalogue, signals, disabled);
  const isCold = prepared.liked.size === 0;
  const scored: Array<{ id: string; score: number; x: number[]; firstTag: string | undefined }> = [];
  for (const id of candidatePool(model, catalogue, prepared)) {
    if (excluded.has(id) || prepared.purchased.has(id)) continue;
    const course = catalogue.courses.get(id);
    if (!course) continue;
    if (signals.priceBand === 'budget' && catalogue.band.get(id) === 'premium') continue;
    const x = featureRow(model, catalogue, prepared, signals, id);
    scored.push({ id, score: predictRanker(ranker, x), x, firstTag: course.tags[0] });
  }
  scored.sort((p, q) => q.score - p.score || p.id.localeCompare(q.id));
  // A cold follower's candidates matching what they said are explained as such (see explain).
  const isStated = (id: string) => isCold && prepared.interests.get(id)?.from !== undefined;
  const kept = { stated: 0, other: 0 };
  const out: ScoredCandidate[] = [];
  for (const c of scored) {
    const kind = isStated(c.id) ? 'stated' : 'other';
    if (kept[kind] >= keep) continue;
    kept[kind]++;
    out.push({ id: c.id, score: c.score, ...explain(isCold ? [] : featureContributions(ranker, c.x), c.x, prepared, c.id, isCold, c.firstTag) });
  }
  return out;
}

type Explanation = Pick<ScoredCandidate, 'reason' | 'source'>;
const feature = (name: RankerFeature) => RANKER_FEATURES.indexOf(name);

/** What each feature that can explain a pick says, or null when it has nothing to say for this course. */
function reasonFor(name: RankerFeature, x: readonly number[], prepared: PreparedFollower, id: string, firstTag: string | undefined): Explanation | null {
  const likedFrom = (m: Map<string, Contribution>, source: RecommendationSource): Explanation | null => {
    const from = m.get(id)?.from;
    return from ? { reason: { code: 'because_you_liked', params: { courseId: from } }, source } : null;
  };
  switch (name) {
    case 'item_cf': return likedFrom(prepared.cf, 'item_cf');
    case 'ease': return likedFrom(prepared.ease, 'ease');
    case 'rp3beta': return likedFrom(prepared.rp3beta, 'rp3beta');
    case 'association_rules': {
      const from = prepared.rules.get(id)?.from;
      return from ? { reason: { code: 'bought_together', params: { courseId: from } }, source: 'association_rules' } : null;
    }
    case 'content': {
      const tag = prepared.content.get(id)?.from ?? firstTag;
      if (!tag) return null;
      return { reason: { code: x[feature('is_new')] ? 'new_in_topic' : 'matches_interest', params: { tag } }, source: 'content' };
    }
    case 'interests': {
      const tag = prepared.interests.get(id)?.from;
      return tag ? { reason: { code: 'matches_interest', params: { tag } }, source: 'interests' } : null;
    }
    case 'segment_popularity': return { reason: { code: 'popular_with_similar', params: {} }, source: 'segment_popularity' };
    case 'trending': return { reason: { code: 'trending', params: {} }, source: 'trending' };
    case 'popularity': return { reason: { code: 'popular', params: {} }, source: 'popularity' };
    default: return null;
  }
}

/**
 * The reason of the feature that contributed most to the served score (occlusion: how much the
 * ranker's logit drops without it). Features that say nothing to a follower (hour, recency, price
 * match, newness) are passed over for the strongest one that does.
 */
function explain(contributions: readonly number[], x: readonly number[], prepared: PreparedFollower, id: string, isCold: boolean, firstTag: string | undefined): Explanation {
  if (isCold) {
    // Without a course event, interests can only come from what the follower said (onboarding topics, chat).
    const interest = prepared.interests.get(id);
    if (interest?.from) return { reason: { code: STATED_INTEREST_REASON, params: { tag: interest.from } }, source: 'interests' };
    return { reason: { code: 'cold_start_popular', params: {} }, source: 'popularity' };
  }
  const order = RANKER_FEATURES.map((name, f) => [name, contributions[f]!] as const).filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]);
  for (const [name] of order) {
    const explanation = reasonFor(name, x, prepared, id, firstTag);
    if (explanation) return explanation;
  }
  return { reason: { code: 'popular', params: {} }, source: 'popularity' };
}
