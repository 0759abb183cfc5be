import type { Course } from '../../catalog/course.js';
import type { CourseInteraction, MessageTerms } from '../../ports/index.js';
import { seededRandom } from '../data/top-k.js';
import { auc, defaultRankerWeights, predictRanker, trainRanker, type RankerWeights } from '../ranking/ranker.js';
import { indexCatalogue } from '../serving/catalogue-index.js';
import { hydrateModel, RECOMMENDER_FORMAT_VERSION, type RankerChoice, type RecommenderArtifact } from '../serving/recommender-model.js';
import { fitGenerators, type GeneratorSettings } from './fit-generators.js';
import { pointInTimeRankerRows } from './point-in-time.js';

const DAY_MS = 86_400_000;

/** What a retrain learns from: the event log and the catalogue, as of `now`. */
export interface TrainingData {
  /** Course events, any order. */
  events: readonly CourseInteraction[];
  /** Message terms (onboarding topics, chat), any order; they feed the persona at each moment. */
  messages: readonly MessageTerms[];
  /** Every course (on sale or not): content and prices for features. */
  courses: readonly Course[];
  now: Date;
}

export interface TrainingOptions extends GeneratorSettings {
  /** 'learn' trains the ranker and keeps it only if it beats the untrained blend later on; 'blend' serves the blend. */
  ranker?: 'learn' | 'blend';
  /** Share of events (by time) the ranker's features are fitted on; then the training window; the rest validates. */
  cutoffs?: { features: number; validation: number };
  /** A candidate taken within this many days after the moment is a positive. */
  horizonDays?: number;
  momentsPerFollower?: number;
  negativesPerMoment?: number;
  epochs?: number;
  /** Hidden units of the ranker's one hidden layer. */
  hidden?: number;
  onProgress?: (fraction: number, stage: string) => void;
}

/** Moments (a follower at a time, with something they took next) each window needs before a ranker is learned. */
const MIN_MOMENTS = 20;

/**
 * Trains one recommender artifact from events, the code path of both the nightly retrain and
 * `npm run eval`. Generators are fitted on all events for serving. The ranker learns without
 * looking ahead: events are ordered by time and cut twice (by default at 70 % and 85 %); generators
 * are refitted on the events before the first cut, training rows come from moments between the
 * cuts and validation rows from moments after the second, each built from what was known at that
 * moment (see {@link pointInTimeRankerRows}). The trained ranker is served only if its NDCG@10 over
 * every candidate of each later moment beats the untrained blend's; otherwise the blend is served.
 * Which, and why, is in `rankerChoice`.
 *
 * @example
 * const { artifact } = await trainRecommenderArtifact({ events, messages, courses, now }, {});
 */
export async function trainRecommenderArtifact(data: TrainingData, options: TrainingOptions = {}): Promise<{ artifact: RecommenderArtifact }> {
  const progress = options.onProgress ?? (() => undefined);
  const events = [...data.events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id - b.id);
  const courseIds = [...new Set([...data.courses.map((c) => c.id), ...events.map((e) => e.courseId)])];
  const full = fitGenerators(events, courseIds, data.courses, data.now, options, (f) => progress(0.5 * f, 'candidate generators'));
  const base: RecommenderArtifact = { formatVersion: RECOMMENDER_FORMAT_VERSION, trainedAt: data.now.toISOString(), ...full, ranker: defaultRankerWeights(), rankerChoice: null };
  if (options.ranker === 'blend') {
    base.rankerChoice = { kept: 'untrained_blend', why: 'the ranker was switched off', validationAuc: { trained: null, blend: null }, validationNdcg: { trained: null, blend: null }, rows: { train: 0, validation: 0 } };
    return { artifact: base };
  }
  const { ranker, choice } = await learnRanker(events, data, courseIds, options, (f, stage) => progress(0.5 + 0.5 * f, stage));
  return { artifact: { ...base, ranker, rankerChoice: choice } };
}

async function learnRanker(
  events: readonly CourseInteraction[],
  data: TrainingData,
  courseIds: readonly string[],
  options: TrainingOptions,
  progress: (fraction: number, stage: string) => void,
): Promise<{ ranker: RankerWeights; choice: RankerChoice }> {
  const blend = defaultRankerWeights();
  const cut = options.cutoffs ?? { features: 0.7, validation: 0.85 };
  const timeAt = (share: number) => events[Math.min(events.length - 1, Math.floor(events.length * share))]?.occurredAt.getTime() ?? 0;
  const featuresUntil = timeAt(cut.features);
  const validationFrom = timeAt(cut.validation);
  const before = events.filter((e) => e.occurredAt.getTime() < featuresUntil);
  const fitted = fitGenerators(before, courseIds, data.courses, new Date(featuresUntil), options, (f) => progress(0.4 * f, 'ranker features before the cut-off'));
  const model = hydrateModel({ formatVersion: RECOMMENDER_FORMAT_VERSION, trainedAt: new Date(featuresUntil).toISOString(), ...fitted, ranker: blend, rankerChoice: null });
  progress(0.4, 'indexing the catalogue');
  const catalogue = indexCatalogue(data.courses);
  progress(0.42, 'point-in-time ranker rows');
  const random = seededRandom(11);
  const rowOptions = {
    horizonMs: (options.horizonDays ?? 14) * DAY_MS, momentsPerFollower: options.momentsPerFollower ?? 3, negativesPerMoment: options.negativesPerMoment ?? 20, random,
  };
  const train = pointInTimeRankerRows(model, catalogue, events, data.messages, { ...rowOptions, fromMs: featuresUntil, toMs: validationFrom });
  // Validation ranks every candidate serving would score (one moment per follower), as serving does:
  // NDCG over a random sample of them rewarded rankers that lost on the full list.
  const validation = pointInTimeRankerRows(model, catalogue, events, data.messages, { ...rowOptions, momentsPerFollower: 1, negativesPerMoment: Infinity, fromMs: validationFrom, toMs: Infinity });
  progress(0.6, 'ranker');
  const rows = { train: train.rows.length, validation: validation.rows.length };
  const hasBothLabels = (labels: number[]) => labels.includes(0) && labels.includes(1);
  if (train.moments < MIN_MOMENTS || validation.moments < MIN_MOMENTS || !hasBothLabels(train.labels) || !hasBothLabels(validation.labels)) {
    const why = `too few point-in-time rows to learn and validate (${train.moments} moments in the training window, ${validation.moments} in the later one; need ${MIN_MOMENTS} each, with both outcomes)`;
    return { ranker: blend, choice: { kept: 'untrained_blend', why, validationAuc: { trained: null, blend: null }, validationNdcg: { trained: null, blend: null }, rows } };
  }
  const trained = await trainRanker(train.rows, train.labels, { epochs: options.epochs ?? 30, hidden: options.hidden ?? 16, validation, onProgress: (f) => progress(0.6 + 0.4 * f, 'ranker') });
  const blendScores = validation.rows.map((x) => predictRanker(blend, x));
  const trainedScores = validation.rows.map((x) => predictRanker(trained, x));
  const validationAuc = { trained: trained.auc, blend: auc(blendScores, validation.labels) };
  const validationNdcg = { trained: momentNdcg(trainedScores, validation.labels, validation.groups), blend: momentNdcg(blendScores, validation.labels, validation.groups) };
  const isBetter = validationNdcg.trained > validationNdcg.blend;
  const f4 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));
  const numbers = `NDCG@10 ${f4(validationNdcg.trained)} vs ${f4(validationNdcg.blend)}, AUC ${f4(validationAuc.trained)} vs ${f4(validationAuc.blend)}`;
  const choice = { validationAuc, validationNdcg, rows };
  return isBetter
    ? { ranker: trained, choice: { ...choice, kept: 'trained', why: `the trained ranker beats the untrained blend on the later window (${numbers})` } }
    : { ranker: blend, choice: { ...choice, kept: 'untrained_blend', why: `the trained ranker does not beat the untrained blend on the later window (${numbers})` } };
}

/**
 * Mean over moments of NDCG@10 of the candidates ordered by `scores` (binary gains): how well a
 * ranker puts what the follower took next at the top, which is what serving needs.
 */
function momentNdcg(scores: readonly number[], labels: readonly number[], groups: readonly number[]): number {
  const byMoment = new Map<number, Array<[number, number]>>();
  groups.forEach((g, i) => {
    const list = byMoment.get(g);
    if (list) list.push([scores[i]!, labels[i]!]);
    else byMoment.set(g, [[scores[i]!, labels[i]!]]);
  });
  let sum = 0;
  for (const list of byMoment.values()) {
    list.sort((a, b) => b[0] - a[0]);
    let dcg = 0;
    let idcg = 0;
    const positives = list.filter(([, y]) => y === 1).length;
    for (let r = 0; r < Math.min(10, list.length); r++) {
      if (list[r]![1] === 1) dcg += 1 / Math.log2(r + 2);
      if (r < positives) idcg += 1 / Math.log2(r + 2);
    }
    sum += idcg > 0 ? dcg / idcg : 0;
  }
  return byMoment.size ? sum / byMoment.size : 0;
}
