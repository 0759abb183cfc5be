import type { PriceBand } from '../../persona/index.js';
import type { CourseInteraction, RecommendationReason, RecommendationSource } from '../../ports/index.js';
import { profileOf } from '../segments/follower-features.js';
import { assignSegment } from '../segments/segment-model.js';
import type { CatalogueIndex } from './catalogue-index.js';
import type { GeneratorName, RecommenderModel } from './recommender-model.js';
import type { ItemNeighbours } from '../algorithms/item-knn.js';
import { featureContributions, predictRanker, type RankerFeature, RANKER_FEATURES, type RankerWeights } from '../ranking/ranker.js';
import { GeneratorScores } from './generator-scores.js';

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

/** Per-generator scores for one follower, computed once per request. */
export interface PreparedFollower {
  liked: Map<string, number>;
  /** Courses bought and not refunded: never offered again. */
  purchased: Set<string>;
  /** By the model's course index: item-kNN, EASE, RP3β, association rules. */
  cf: GeneratorScores;
  ease: GeneratorScores;
  rp3beta: GeneratorScores;
  rules: GeneratorScores;
  /** By the catalogue's course index (`content.courseIds`): content, interest tags. */
  content: GeneratorScores;
  interests: GeneratorScores;
  segmentId: number | null;
  recency: number;
}

function walkNeighbours(model: RecommenderModel, nb: ItemNeighbours | null, liked: ReadonlyMap<string, number>, weight: (w: number) => number): GeneratorScores {
  const out = new GeneratorScores(model.artifact.courseIds, model.indexOf);
  if (!nb) return out;
  for (const [id, w] of liked) {
    const i = model.indexOf.get(id);
    if (i === undefined) continue;
    const from = out.source(id);
    const scale = weight(w);
    for (let p = nb.offsets[i]!; p < nb.offsets[i + 1]!; p++) out.add(nb.neighbours[p]!, scale * nb.similarities[p]!, from);
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
  const none = new GeneratorScores([], new Map());
  let [cf, ease, rp3beta, rules] = [none, none, none, none];
  if (model) {
    cf = isOn('item_cf') ? walkNeighbours(model, model.neighbours, liked, Math.log1p) : cf;
    // EASE and RP3β are fitted on presence (0/1), so they score presence too.
    ease = disabled?.has('ease') ? ease : walkNeighbours(model, model.ease, liked, () => 1);
    rp3beta = disabled?.has('rp3beta') ? rp3beta : walkNeighbours(model, model.rp3beta, liked, () => 1);
    rules = associatedWith(model, liked);
  }
  const content = isOn('content') ? contentScores(catalogue, liked) : none;
  const interests = new GeneratorScores(catalogue.content.courseIds, catalogue.content.byId);
  for (const { tag, weight } of signals.interests) {
    const from = interests.source(tag);
    for (const i of catalogue.byTag.get(tag) ?? []) interests.add(i, weight, from);
  }
  [cf, ease, rp3beta, content, rules, interests].forEach((scores) => scores.normalise());

  let segmentId: number | null = null;
  const segments = model?.artifact.segmentModel;
  if (segments && signals.history.length > 0) {
    segmentId = assignSegment(segments, profileOf('', signals.history, catalogue.courses, signals.now));
  }
  const last = signals.history[0]?.occurredAt.getTime();
  const recency = last === undefined ? 0 : Math.pow(0.5, (signals.now.getTime() - last) / (7 * DAY_MS));
  return { liked, purchased, cf, ease, rp3beta, content, rules, interests, segmentId, recency };
}

/** Association rules whose antecedent the follower liked, by the model's index of the consequent (a rule's courses are the model's). */
function associatedWith(model: RecommenderModel, liked: ReadonlyMap<string, number>): GeneratorScores {
  const rules = new GeneratorScores(model.artifact.courseIds, model.indexOf);
  for (const [id] of liked) {
    const matching = model.rulesByAntecedent.get(id) ?? [];
    if (matching.length === 0) continue;
    const from = rules.source(id);
    for (const rule of matching) {
      const i = model.indexOf.get(rule.consequent);
      if (i !== undefined && rule.antecedent.every((a) => liked.has(a))) rules.add(i, rule.confidence * Math.min(rule.lift, 5), from);
    }
  }
  return rules;
}

/**
 * Content: the follower's profile (the liked courses' term weights, each course weighted by log1p
 * of how much it was liked), then the strongest postings of the profile's best terms. A tag term
 * names its tag as what drove a course's score.
 */
function contentScores(catalogue: CatalogueIndex, liked: ReadonlyMap<string, number>): GeneratorScores {
  const profile = new Float64Array(catalogue.vocabulary.length);
  const isInProfile = new Uint8Array(catalogue.vocabulary.length);
  const profileTerms: number[] = [];
  for (const [id, w] of liked) {
    const at = catalogue.content.byId.get(id);
    if (at === undefined) continue;
    const { terms, weights } = catalogue.vectors[at]!;
    for (let k = 0; k < terms.length; k++) {
      const term = terms[k]!;
      if (!isInProfile[term]) {
        isInProfile[term] = 1;
        profileTerms.push(term);
      }
      profile[term] = profile[term]! + Math.log1p(w) * weights[k]!;
    }
  }
  // A stable sort: equal weights keep the order the terms entered the profile.
  const topTerms = profileTerms.sort((a, b) => profile[b]! - profile[a]!).slice(0, PROFILE_TERMS);
  const content = new GeneratorScores(catalogue.content.courseIds, catalogue.content.byId);
  for (const term of topTerms) {
    const name = catalogue.vocabulary[term]!;
    const from = name.startsWith('tag:') ? content.source(name.slice(4)) : undefined;
    const { courses, weights } = catalogue.postings[term]!;
    const x = profile[term]!;
    for (let p = 0; p < Math.min(courses.length, POSTINGS_PER_TERM); p++) content.add(courses[p]!, x * weights[p]!, from);
  }
  return content;
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
  for (const scores of [prepared.cf, prepared.ease, prepared.rp3beta, prepared.content, prepared.rules, prepared.interests]) {
    for (const id of scores.best(NOMINATED_PER_GENERATOR)) pool.add(id);
  }
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

const BAND_ORDER: Record<PriceBand, number> = { budget: 0, mid: 1, premium: 2, unknown: -1 };

/** Where each feature goes in a row (RANKER_FEATURES order). */
const AT = Object.fromEntries(RANKER_FEATURES.map((name, f) => [name, f])) as Record<RankerFeature, number>;

/** The ranker's feature row for one course (order of RANKER_FEATURES). */
export function featureRow(model: RecommenderModel | null, catalogue: CatalogueIndex, prepared: PreparedFollower, signals: FollowerSignals, courseId: string): number[] {
  const i = model?.indexOf.get(courseId);
  const at = catalogue.content.byId.get(courseId);
  const a = model?.artifact;
  const band = catalogue.band.get(courseId) ?? 'unknown';
  const gap = signals.priceBand === 'unknown' ? 0 : Math.abs(BAND_ORDER[band] - BAND_ORDER[signals.priceBand]);
  const created = catalogue.courses.get(courseId)?.createdAt.getTime() ?? 0;
  const row = new Array<number>(RANKER_FEATURES.length);
  row[AT.item_cf] = prepared.cf.scoreAt(i);
  row[AT.ease] = prepared.ease.scoreAt(i);
  row[AT.rp3beta] = prepared.rp3beta.scoreAt(i);
  row[AT.content] = prepared.content.scoreAt(at);
  row[AT.popularity] = a && i !== undefined ? a.popularity[i]! : 0;
  row[AT.segment_popularity] = a && i !== undefined && prepared.segmentId !== null ? a.segmentPopularity[prepared.segmentId]?.[i] ?? 0 : 0;
  row[AT.trending] = a && i !== undefined ? a.trending[i]! : 0;
  row[AT.association_rules] = prepared.rules.scoreAt(i);
  row[AT.interests] = prepared.interests.scoreAt(at);
  row[AT.price_match] = gap === 0 ? 1 : gap === 1 ? 0.5 : 0;
  row[AT.recency] = prepared.recency;
  row[AT.hour_sin] = Math.sin((2 * Math.PI * signals.hour) / 24);
  row[AT.hour_cos] = Math.cos((2 * Math.PI * signals.hour) / 24);
  row[AT.is_new] = signals.now.getTime() - created < NEW_COURSE_DAYS * DAY_MS ? 1 : 0;
  return row;
}

/** A candidate the ranker scored, with what explaining it needs. */
export interface ScoredCandidate {
  id: string;
  score: number;
  /** Matches what a follower without course history said they want (and is explained as such). */
  isStated: boolean;
  row: number[];
  firstTag: string | undefined;
}

/** Why a candidate is offered. */
export interface Explanation {
  reason: RecommendationReason;
  source: RecommendationSource;
}

/**
 * Scores every eligible course of the candidate pool for one follower with the ranker. Owned
 * (bought), excluded and off-band (budget follower, premium course) courses are left out; only
 * courses on sale are in the catalogue. The best `keep` candidates of each kind (matching what a
 * follower without history said, and the others) are returned, best first, with `explain`, which
 * gives the reason of the feature that added most to a candidate's score: it costs a ranker pass
 * per feature, so it is meant for the few candidates finally picked.
 *
 * @example
 * const { ranked, explain } = scoreCandidates(model, catalogue, signals, excluded, ranker);
 * const why = explain(ranked[0]!);
 */
export function scoreCandidates(
  model: RecommenderModel | null,
  catalogue: CatalogueIndex,
  signals: FollowerSignals,
  excluded: ReadonlySet<string>,
  ranker: RankerWeights,
  keep = Infinity,
  disabled?: ReadonlySet<GeneratorName>,
): { ranked: ScoredCandidate[]; explain: (candidate: ScoredCandidate) => Explanation } {
  const prepared = prepareFollower(model, catalogue, signals, disabled);
  const isCold = prepared.liked.size === 0;
  const scored: ScoredCandidate[] = [];
  for (const id of candidatePool(model, catalogue, prepared)) {
    if (excluded.has(id) || prepared.purchased.has(id)) continue;
    const course = catalogue.courses.get(id);
    if (!course) continue;
    if (signals.priceBand === 'budget' && catalogue.band.get(id) === 'premium') continue;
    const row = featureRow(model, catalogue, prepared, signals, id);
    // A cold follower's candidates matching what they said are explained as such (see explain).
    const isStated = isCold && prepared.interests.drivenBy(id) !== undefined;
    scored.push({ id, score: predictRanker(ranker, row), isStated, row, firstTag: course.tags[0] });
  }
  scored.sort((p, q) => q.score - p.score || p.id.localeCompare(q.id));
  const kept = { stated: 0, other: 0 };
  const ranked = scored.filter((c) => {
    const kind = c.isStated ? 'stated' : 'other';
    if (kept[kind] >= keep) return false;
    kept[kind]++;
    return true;
  });
  return { ranked, explain: (c) => explain(isCold ? [] : featureContributions(ranker, c.row), c.row, prepared, c.id, isCold, c.firstTag) };
}

/** What each feature that can explain a pick says, or null when it has nothing to say for this course. */
function reasonFor(name: RankerFeature, x: readonly number[], prepared: PreparedFollower, id: string, firstTag: string | undefined): Explanation | null {
  const likedFrom = (scores: GeneratorScores, source: RecommendationSource): Explanation | null => {
    const from = scores.drivenBy(id);
    return from ? { reason: { code: 'because_you_liked', params: { courseId: from } }, source } : null;
  };
  switch (name) {
    case 'item_cf': return likedFrom(prepared.cf, 'item_cf');
    case 'ease': return likedFrom(prepared.ease, 'ease');
    case 'rp3beta': return likedFrom(prepared.rp3beta, 'rp3beta');
    case 'association_rules': {
      const from = prepared.rules.drivenBy(id);
      return from ? { reason: { code: 'bought_together', params: { courseId: from } }, source: 'association_rules' } : null;
    }
    case 'content': {
      const tag = prepared.content.drivenBy(id) ?? firstTag;
      if (!tag) return null;
      return { reason: { code: x[AT.is_new] ? 'new_in_topic' : 'matches_interest', params: { tag } }, source: 'content' };
    }
    case 'interests': {
      const tag = prepared.interests.drivenBy(id);
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
    const tag = prepared.interests.drivenBy(id);
    if (tag) return { reason: { code: STATED_INTEREST_REASON, params: { tag } }, source: 'interests' };
    return { reason: { code: 'cold_start_popular', params: {} }, source: 'popularity' };
  }
  const order = RANKER_FEATURES.map((name, f) => [name, contributions[f]!] as const).filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]);
  for (const [name] of order) {
    const explanation = reasonFor(name, x, prepared, id, firstTag);
    if (explanation) return explanation;
  }
  return { reason: { code: 'popular', params: {} }, source: 'popularity' };
}
