import type { Course } from '../../catalog/course.js';
import { EVENT_KINDS } from '../../events/event-types.js';
import { easeNeighbours, EaseModel } from '../algorithms/ease.js';
import { packedSize } from '../algorithms/spd-inverse.js';
import { itemNeighbours, type ItemNeighbours } from '../algorithms/item-knn.js';
import { trendingScores } from '../algorithms/popularity.js';
import { rp3betaNeighbours } from '../algorithms/rp3beta.js';
import { csrFromPairs, type Csr } from '../data/csr.js';
import { eventsByFollower, followerInteractions, kindAt, type EventLog } from '../data/event-log.js';
import { associationRules } from '../rules/apriori.js';
import { profileOf, type FollowerProfile } from '../segments/follower-features.js';
import { assignSegment, buildSegmentModel } from '../segments/segment-model.js';
import { GENERATORS, precomputeCandidates, storeNeighbours, type GeneratorName, type RecommenderArtifact } from '../serving/recommender-model.js';
import { EVENT_WEIGHTS } from '../serving/score-candidates.js';
import { hasFastTensorflowBackend } from '../tf-backend.js';

/** Followers (the first to appear) whose behaviour profiles the segments are clustered from. */
const SEGMENT_SAMPLE = 5000;
/** Each event kind's weight (EVENT_WEIGHTS), by its index in EVENT_KINDS. */
const KIND_WEIGHTS = Float32Array.from(EVENT_KINDS, (kind) => EVENT_WEIGHTS[kind] ?? 0);
/** Buyers of both courses a purchase rule needs, whatever the catalogue's size. */
const ASSOCIATION_MIN_BUYERS = 3;

/** Settings of the candidate generators; the defaults are what production trains with. */
export interface GeneratorSettings {
  /** Which generators to build (all by default; fewer for an ablation). */
  generators?: readonly GeneratorName[];
  /** Item-kNN neighbours kept per course, and the shrinkage of rare pairs. */
  knnNeighbours?: number;
  knnShrink?: number;
  /** EASE regularisation and the strongest weights kept per course. */
  easeLambda?: number;
  easeNeighbours?: number;
  /**
   * EASE holds the upper triangle of a dense courses × courses Float32 matrix (2n² bytes: 200 MB at
   * 10,000 courses): above this many courses it is skipped, with the reason passed to `onSkipped`.
   */
  easeMaxItems?: number;
  /** Without the wasm or native TensorFlow.js backend EASE runs in plain JS (O(n³), 12n² bytes at its peak): skipped above this. */
  easeMaxItemsPlain?: number;
  /** Threads of EASE's blocked inverse (default: both cores, at most two; see EaseModel). */
  easeThreads?: number;
  /**
   * Called between the retrain's large stages (after EASE's fit, before and between the ranker's row
   * sets, before each fit): the nightly retrain collects garbage there and lets the freed pages go
   * (see releaseGarbage), so one stage's garbage is not the floor of the next.
   */
  betweenStages?: () => void | Promise<void>;
  rp3Beta?: number;
  rp3Neighbours?: number;
  /**
   * Fitted neighbour lists by key, reused across calls that share the same events (the offline
   * ablation trains the same fold several times with one generator off).
   */
  memo?: Map<string, ItemNeighbours>;
  /** Told when a wanted generator is not fitted, and why (the retrain logs it and keeps it in the metrics). */
  onSkipped?: (generator: GeneratorName, why: string) => void;
}

/**
 * The defaults: item-kNN k = 50 with shrink 2 (as served before), EASE λ = 500 (Steck 2019's
 * setting for MovieLens-20M), RP3β β = 0.5 with α = 1 (Paudel et al. 2017); none was chosen on a
 * reported evaluation fold. EASE up to 12,000 courses (288 MB for its matrix; for the time of a
 * 10,000-course fit see `npm run bench:ease`), 3,000 without the wasm backend.
 */
export const DEFAULT_GENERATOR_SETTINGS = {
  knnNeighbours: 50, knnShrink: 2, easeLambda: 500, easeNeighbours: 200, easeMaxItems: 12_000, easeMaxItemsPlain: 3_000, rp3Beta: 0.5, rp3Neighbours: 100,
} as const;

/**
 * Why EASE is not fitted on `nItems` courses, or null when it is.
 *
 * @example
 * easeSkipReason(20_000, DEFAULT_GENERATOR_SETTINGS, true); // 'EASE skipped: 20000 courses ...'
 */
export function easeSkipReason(nItems: number, limits: { easeMaxItems: number; easeMaxItemsPlain: number }, fastBackend: boolean): string | null {
  if (nItems > limits.easeMaxItems) {
    const mb = Math.round((4 * packedSize(nItems)) / 2 ** 20);
    return `EASE skipped: ${nItems} courses need a ${mb} MB dense matrix, above the ${limits.easeMaxItems}-course cap (easeMaxItems)`;
  }
  if (!fastBackend && nItems > limits.easeMaxItemsPlain) {
    return `EASE skipped: ${nItems} courses without the wasm TensorFlow.js backend would run the plain-JS inverse, above its ${limits.easeMaxItemsPlain}-course cap (easeMaxItemsPlain)`;
  }
  return null;
}

export type FittedGenerators = Omit<RecommenderArtifact, 'formatVersion' | 'trainedAt' | 'ranker' | 'rankerChoice'>;

/**
 * Fits every candidate generator on the events given (and nothing else): popularity, trending as
 * of `now`, item-kNN, EASE, RP3β, behaviour segments with their popularity, purchase association
 * rules. Content needs no fitting (serving indexes the catalogue).
 *
 * @example
 * const fitted = await fitGenerators(eventsBefore(log, cutoff.getTime()), courseIds, catalogue, cutoff, {});
 */
export async function fitGenerators(
  events: EventLog,
  courseIds: readonly string[],
  catalogue: readonly Course[],
  now: Date,
  settings: GeneratorSettings,
  onProgress: (fraction: number) => void = () => undefined,
): Promise<FittedGenerators> {
  const s = { ...DEFAULT_GENERATOR_SETTINGS, ...settings };
  const wanted = new Set(settings.generators ?? GENERATORS);
  const itemIndex = new Map(courseIds.map((id, i) => [id, i]));
  // The log numbers followers by first appearance in time: they are the matrix's rows as they are.
  // Columns and weights are filled in loops: TypedArray.from with a function first lists every value
  // as a JavaScript array, a million of them each.
  const rows = events.follower;
  const columnOf = Int32Array.from(events.courseIds, (id) => itemIndex.get(id)!);
  const cols = new Int32Array(events.length);
  const weights = new Float32Array(events.length);
  for (let i = 0; i < events.length; i++) {
    cols[i] = columnOf[events.course[i]!]!;
    weights[i] = KIND_WEIGHTS[events.kind[i]!]!;
  }
  const binary = positivesOf(csrFromPairs(events.followerIds.length, courseIds.length, rows, cols, weights));

  const popularity = new Array<number>(courseIds.length).fill(0);
  for (let p = 0; p < binary.indices.length; p++) popularity[binary.indices[p]!]! += 1;
  const trending = Array.from(trendingScores(cols, events.atMs, courseIds.length, now.getTime(), 7 * 86_400_000));
  onProgress(0.05);

  const memoised = (key: string, fit: () => ItemNeighbours) => {
    const full = `${key}:${events.length}:${now.getTime()}`;
    const hit = settings.memo?.get(full);
    if (hit) return hit;
    const fitted = fit();
    settings.memo?.set(full, fitted);
    return fitted;
  };
  const knn = memoised(`knn:${s.knnNeighbours}:${s.knnShrink}`, () => itemNeighbours(binary, { k: s.knnNeighbours, shrink: s.knnShrink }));
  onProgress(0.25);
  const easeSkipped = wanted.has('ease') ? easeSkipReason(courseIds.length, s, hasFastTensorflowBackend()) : null;
  if (easeSkipped) settings.onSkipped?.('ease', easeSkipped);
  const ease = wanted.has('ease') && !easeSkipped
    ? memoised(`ease:${s.easeLambda}:${s.easeNeighbours}`, () => {
      const model = new EaseModel({ lambda: s.easeLambda, ...(s.easeThreads ? { blocked: { threads: s.easeThreads } } : {}), onProgress: (f) => onProgress(0.25 + 0.4 * f) });
      model.fit(binary);
      return easeNeighbours(model, s.easeNeighbours);
    })
    : null;
  // EASE's dense triangle (2n² bytes) is garbage from here.
  await settings.betweenStages?.();
  onProgress(0.65);
  const rp3 = wanted.has('rp3beta') ? memoised(`rp3:${s.rp3Beta}:${s.rp3Neighbours}`, () => rp3betaNeighbours(binary, { k: s.rp3Neighbours, beta: s.rp3Beta })) : null;
  onProgress(0.75);

  const facts = new Map(catalogue.map((c) => [c.id, c]));
  const groups = eventsByFollower(events);
  // One follower's events as objects at a time: the whole log as objects would not fit the retrain's memory.
  const profileOfFollower = (f: number): FollowerProfile => profileOf(events.followerIds[f]!, followerInteractions(events, groups, f), facts, now);
  const sampled = Array.from({ length: Math.min(SEGMENT_SAMPLE, events.followerIds.length) }, (_, f) => profileOfFollower(f));
  const segmentModel = buildSegmentModel(sampled, { maxK: 8 });
  const segmentPopularity: number[][] = segmentModel ? segmentModel.segments.map(() => new Array<number>(courseIds.length).fill(0)) : [];
  if (segmentModel) {
    for (let r = 0; r < events.followerIds.length; r++) {
      const seg = segmentPopularity[assignSegment(segmentModel, sampled[r] ?? profileOfFollower(r))]!;
      for (let p = binary.indptr[r]!; p < binary.indptr[r + 1]!; p++) seg[binary.indices[p]!]! += 1;
    }
  }
  onProgress(0.9);

  const baskets = new Map<number, string[]>();
  for (let i = 0; i < events.length; i++) {
    if (kindAt(events, i) !== 'purchase') continue;
    const courseId = events.courseIds[events.course[i]!]!;
    const basket = baskets.get(events.follower[i]!);
    if (basket) basket.push(courseId);
    else baskets.set(events.follower[i]!, [courseId]);
  }
  const rules = associationRules([...baskets.values()].filter((b) => b.length > 1), { minCount: ASSOCIATION_MIN_BUYERS, minConfidence: 0.2 }).slice(0, 1000);
  onProgress(1);
  const scaledPopularity = scaled(popularity);
  const scaledTrending = scaled(trending);
  const scaledSegments = segmentPopularity.map(scaled);
  return {
    courseIds: [...courseIds],
    generators: GENERATORS.filter((g) => wanted.has(g) && (g !== 'ease' || ease !== null)),
    popularity: scaledPopularity,
    trending: scaledTrending,
    neighbours: storeNeighbours(wanted.has('item_cf') ? knn : { ...knn, offsets: new Int32Array(courseIds.length + 1), neighbours: new Int32Array(0), similarities: new Float32Array(0) }),
    ease: ease ? storeNeighbours(ease) : null,
    rp3beta: rp3 ? storeNeighbours(rp3) : null,
    segmentModel,
    segmentPopularity: scaledSegments,
    candidates: precomputeCandidates({ popularity: scaledPopularity, segmentPopularity: scaledSegments, trending: scaledTrending }),
    rules,
  };
}

/** The (follower, course) pairs whose summed event weight is positive, as a 0/1 matrix. */
function positivesOf(weighted: Csr): Csr {
  let n = 0;
  for (const v of weighted.values!) if (v > 0) n++;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  let at = 0;
  for (let r = 0; r < weighted.nRows; r++) {
    for (let p = weighted.indptr[r]!; p < weighted.indptr[r + 1]!; p++) {
      if (weighted.values![p]! > 0) {
        rows[at] = r;
        cols[at++] = weighted.indices[p]!;
      }
    }
  }
  return csrFromPairs(weighted.nRows, weighted.nCols, rows, cols);
}

function scaled(values: readonly number[]): number[] {
  let max = 1e-9;
  for (const v of values) if (v > max) max = v;
  return values.map((v) => Math.round((v / max) * 1e5) / 1e5);
}
