import type { Course } from '../catalog/course.js';
import { ValidationError } from '../errors.js';
import type { Clock, CourseInteraction, CourseRepository, InteractionRepository, Logger, ModelArtifactRepository } from '../ports/index.js';
import { itemNeighbours } from './algorithms/item-knn.js';
import { trendingScores } from './algorithms/popularity.js';
import { csrFromPairs } from './data/csr.js';
import { readAllPages } from './data/read-pages.js';
import { seededRandom } from './data/top-k.js';
import { defaultRankerWeights, trainRanker, type RankerWeights } from './ranking/ranker.js';
import { associationRules } from './rules/apriori.js';

/** Buyers of both courses a purchase rule needs, whatever the catalogue's size. */
const ASSOCIATION_MIN_BUYERS = 3;
import { followerProfiles } from './segments/follower-features.js';
import { assignSegment, buildSegmentModel } from './segments/segment-model.js';
import { indexCatalogue, listAllCourses } from './serving/catalogue-index.js';
import { hydrateModel, RECOMMENDER_ARTIFACT_KIND, type RecommenderArtifact } from './serving/recommender-model.js';
import { EVENT_WEIGHTS, featureRow, POSITIVE_KINDS, prepareFollower } from './serving/score-candidates.js';
import { initTensorflowBackend } from './tf-backend.js';

export interface RetrainRecommenderDeps {
  interactions: Pick<InteractionRepository, 'listCourseInteractions'>;
  courses: Pick<CourseRepository, 'list'>;
  artifacts: Pick<ModelArtifactRepository, 'save'>;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn'>;
}

export interface RetrainOptions {
  onProgress?: (percent: number, stage: string) => void;
  /** Neighbours kept per course. */
  neighbours?: number;
  /** Impressions sampled to train the ranker. */
  maxImpressions?: number;
}

const PAGE = 50_000;
const MIN_IMPRESSIONS = 50;

/**
 * Full retrain, run as a job (never on the chat path): reads every course interaction from the event
 * log, builds popularity, trending, item-item neighbours, behaviour segments, purchase association
 * rules and the TensorFlow.js ranker, and stores them as a new artifact version. Logs progress in percent.
 *
 * @example
 * const { version } = await retrainRecommender({ interactions, courses, artifacts, clock, logger }, { onProgress: (p, s) => logger.info({ p, s }, 'retrain') });
 */
export async function retrainRecommender(deps: RetrainRecommenderDeps, options: RetrainOptions = {}): Promise<{ version: number; metrics: Record<string, unknown> }> {
  if (!deps.interactions?.listCourseInteractions || !deps.artifacts?.save || !deps.courses?.list) {
    throw new ValidationError('retrain_deps_missing', 'retrainRecommender needs { interactions: PgInteractionRepository, courses, artifacts: PgModelArtifactRepository, clock, logger } (see models/index.ts).');
  }
  const started = Date.now();
  let lastLogged = { decile: -1, stage: '' };
  const progress = (percent: number, stage: string) => {
    // Log each stage and every 10%, not every step: training reports progress hundreds of times.
    const decile = Math.floor(percent / 10);
    if (decile !== lastLogged.decile || stage !== lastLogged.stage || percent >= 100) {
      deps.logger.info({ percent: Math.round(percent), stage }, `recommender retrain ${Math.round(percent)}% ${stage}`);
      lastLogged = { decile, stage };
    }
    options.onProgress?.(percent, stage);
  };
  const backend = await initTensorflowBackend(deps.logger);
  const now = deps.clock.now();
  const catalogueCourses = await listAllCourses(deps.courses);
  progress(2, 'catalogue loaded');

  const events = await readAllPages(
    (afterId, limit) => deps.interactions.listCourseInteractions({ afterId, limit }),
    PAGE,
    (n) => progress(2 + Math.min(18, n / 100_000), `read ${n} events`),
  );
  progress(20, `read ${events.length} events`);

  const courseIds = [...new Set([...catalogueCourses.map((c) => c.id), ...events.map((e) => e.courseId)])];
  const itemIndex = new Map(courseIds.map((id, i) => [id, i]));
  const followerIds = [...new Set(events.map((e) => e.followerId))];
  const followerIndex = new Map(followerIds.map((id, i) => [id, i]));
  const rows = Int32Array.from(events, (e) => followerIndex.get(e.followerId)!);
  const cols = Int32Array.from(events, (e) => itemIndex.get(e.courseId)!);
  const weights = Float32Array.from(events, (e) => EVENT_WEIGHTS[e.kind] ?? 0);
  const weighted = csrFromPairs(followerIds.length, courseIds.length, rows, cols, weights);
  const positivePairs = [] as number[];
  for (let r = 0; r < weighted.nRows; r++) for (let p = weighted.indptr[r]!; p < weighted.indptr[r + 1]!; p++) if (weighted.values![p]! > 0) positivePairs.push(r, weighted.indices[p]!);
  const binary = csrFromPairs(followerIds.length, courseIds.length, positivePairs.filter((_, i) => i % 2 === 0), positivePairs.filter((_, i) => i % 2 === 1));

  const popularity = new Array<number>(courseIds.length).fill(0);
  for (let p = 0; p < binary.indices.length; p++) popularity[binary.indices[p]!]! += 1;
  const trending = Array.from(trendingScores(cols, Float64Array.from(events, (e) => e.occurredAt.getTime()), courseIds.length, now.getTime(), 7 * 86_400_000));
  progress(25, 'popularity and trending');

  const nb = itemNeighbours(binary, { k: options.neighbours ?? 50, shrink: 2, onProgress: (f) => progress(25 + 35 * f, 'item-item neighbours') });

  const facts = new Map(catalogueCourses.map((c) => [c.id, c]));
  const profiles = followerProfiles(events, facts, now);
  const segmentModel = buildSegmentModel([...sample(profiles.values(), 5000)], { maxK: 8 });
  const segmentPopularity: number[][] = segmentModel ? segmentModel.segments.map(() => new Array<number>(courseIds.length).fill(0)) : [];
  if (segmentModel) {
    for (const [id, profile] of profiles) {
      const seg = segmentPopularity[assignSegment(segmentModel, profile)]!;
      const r = followerIndex.get(id)!;
      for (let p = binary.indptr[r]!; p < binary.indptr[r + 1]!; p++) seg[binary.indices[p]!]! += 1;
    }
  }
  progress(70, `segments: ${segmentModel?.segments.length ?? 0}`);

  const baskets = new Map<string, string[]>();
  for (const e of events) {
    if (e.kind !== 'purchase') continue;
    const basket = baskets.get(e.followerId);
    if (basket) basket.push(e.courseId);
    else baskets.set(e.followerId, [e.courseId]);
  }
  const rules = associationRules([...baskets.values()].filter((b) => b.length > 1), { minCount: ASSOCIATION_MIN_BUYERS, minConfidence: 0.2 }).slice(0, 1000);
  progress(75, `association rules: ${rules.length}`);

  const artifact: RecommenderArtifact = {
    formatVersion: 1,
    trainedAt: now.toISOString(),
    courseIds,
    popularity: scaled(popularity),
    trending: scaled(trending),
    neighbours: { offsets: Array.from(nb.offsets), items: Array.from(nb.neighbours), sims: Array.from(nb.similarities, (s) => Math.round(s * 1e5) / 1e5) },
    segmentModel,
    segmentPopularity: segmentPopularity.map(scaled),
    rules,
    ranker: defaultRankerWeights(),
  };
  artifact.ranker = await trainRankerOnImpressions(artifact, catalogueCourses, events, now, options.maxImpressions ?? 20_000, (f) => progress(75 + 20 * f, 'ranker'));
  const metrics = {
    events: events.length, followers: followerIds.length, courses: courseIds.length, backend,
    segments: segmentModel?.segments.length ?? 0, silhouette: segmentModel?.silhouette ?? null, rules: rules.length,
    rankerTrainedOn: artifact.ranker.trainedOn, rankerAuc: artifact.ranker.auc, rankerLogLoss: artifact.ranker.logLoss, trainMs: Date.now() - started,
  };
  const saved = await deps.artifacts.save({ kind: RECOMMENDER_ARTIFACT_KIND, metrics, data: artifact });
  progress(100, `saved version ${saved.version}`);
  return { version: saved.version, metrics };
}

function scaled(values: readonly number[]): number[] {
  const max = Math.max(1e-9, ...values);
  return values.map((v) => Math.round((v / max) * 1e5) / 1e5);
}

function* sample<T>(values: Iterable<T>, limit: number): Generator<T> {
  let n = 0;
  for (const v of values) {
    if (n++ >= limit) return;
    yield v;
  }
}

/** Impressions (views) → was there a click/checkout/purchase of that course by that follower? */
async function trainRankerOnImpressions(
  artifact: RecommenderArtifact,
  courses: Course[],
  events: CourseInteraction[],
  now: Date,
  maxImpressions: number,
  onProgress: (f: number) => void,
): Promise<RankerWeights> {
  const positives = new Set(events.filter((e) => POSITIVE_KINDS.has(e.kind)).map((e) => `${e.followerId}|${e.courseId}`));
  const random = seededRandom(11);
  const views = events.filter((e) => e.kind === 'view');
  const chosen = views.length <= maxImpressions ? views : views.filter(() => random() < maxImpressions / views.length);
  if (chosen.length < MIN_IMPRESSIONS) return defaultRankerWeights();
  const byFollower = new Map<string, CourseInteraction[]>();
  for (const e of events) {
    const list = byFollower.get(e.followerId);
    if (list) list.push(e);
    else byFollower.set(e.followerId, [e]);
  }
  const model = hydrateModel(artifact);
  const catalogue = indexCatalogue(courses);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const view of chosen) {
    // The follower's history without this course, so the label does not leak into the features.
    const history = (byFollower.get(view.followerId) ?? []).filter((e) => e.courseId !== view.courseId).sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
    const signals = { history, interests: [], priceBand: 'unknown' as const, now, hour: (view.occurredAt.getUTCHours() + 8) % 24 };
    rows.push(featureRow(model, catalogue, prepareFollower(model, catalogue, signals), signals, view.courseId));
    labels.push(positives.has(`${view.followerId}|${view.courseId}`) ? 1 : 0);
  }
  if (labels.every((l) => l === labels[0])) return defaultRankerWeights();
  return trainRanker(rows, labels, { epochs: 20, onProgress });
}
