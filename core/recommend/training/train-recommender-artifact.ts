import type { Course } from '../../catalog/course.js';
import type { MessageTerms } from '../../ports/index.js';
import { eventsBefore, type EventLog } from '../data/event-log.js';
import { seededRandom } from '../data/top-k.js';
import { auc, defaultRankerWeights, predictRanker, trainRanker, type RankerWeights } from '../ranking/ranker.js';
import { contentSimilarityScorer, indexCatalogue } from '../serving/catalogue-index.js';
import { hydrateModel, RECOMMENDER_FORMAT_VERSION, SCORER_NAMES, type RankerChoice, type RecommenderArtifact } from '../serving/recommender-model.js';
import { fitGenerators, type GeneratorSettings } from './fit-generators.js';
import { pointInTimeRankerRows } from './point-in-time.js';
import type { CatalogueIndex } from '../serving/catalogue-index.js';
import { chooseMmrLambda, CLEAR_WIN_STANDARD_ERRORS, DIVERSITY_BUDGET, meanOf, momentNdcgs, tuneBlend, winsClearly, type MomentRows } from './tune-blend.js';

const DAY_MS = 86_400_000;

/** What a retrain learns from: the event log and the catalogue, as of `now`. */
export interface TrainingData {
  /** Course events, as columns ordered by time (see {@link EventLog}; `eventLogOf` builds one from objects). */
  events: EventLog;
  /** Message terms (onboarding topics, chat), any order; they feed the persona at each moment. */
  messages: readonly MessageTerms[];
  /** Every course (on sale or not): content and prices for features. */
  courses: readonly Course[];
  now: Date;
}

export interface TrainingOptions extends GeneratorSettings {
  /**
   * 'learn' (default) lets the trained ranker, the tuned blend and the untrained blend compete on the
   * later window; 'untrained' serves the untrained blend but still chooses the diversity there (the
   * ablation's "ranker off"); 'blend' serves the untrained blend at the default diversity, building no
   * point-in-time rows at all.
   */
  ranker?: 'learn' | 'untrained' | 'blend';
  /** Share of events (by time) the ranker's features are fitted on; then the training window; the rest validates. */
  cutoffs?: { features: number; validation: number };
  /** A candidate taken within this many days after the moment is a positive. */
  horizonDays?: number;
  momentsPerFollower?: number;
  negativesPerMoment?: number;
  epochs?: number;
  /** Hidden units of the ranker's one hidden layer. */
  hidden?: number;
  /** Followers (a seeded sample) whose moments build the ranker's rows in each window. */
  maxRankerFollowers?: number;
  onProgress?: (fraction: number, stage: string) => void;
}

/** Moments (a follower at a time, with something they took next) each window needs before a ranker is learned. */
const MIN_MOMENTS = 20;
/** Enough moments to rank scorers apart; more only costs retrain time and memory at 50,000 followers. */
const DEFAULT_MAX_RANKER_FOLLOWERS = 1_000;

/**
 * Trains one recommender artifact from events, the code path of both the nightly retrain and
 * `npm run eval`. Generators are fitted on all events for serving. The ranker learns without
 * looking ahead: events are ordered by time and cut twice (by default at 70 % and 85 %); generators
 * are refitted on the events before the first cut, training rows come from moments between the
 * cuts and validation rows from moments after the second, each built from what was known at that
 * moment (see {@link pointInTimeRankerRows}). Three scorers compete on NDCG@10 over every
 * candidate of each later moment: the ranker trained on the training window, the blend whose
 * weights were tuned on that window ({@link tuneBlend}), and the untrained blend; the best serves
 * (the trained ranker only if it beats both blends). The MMR diversity served is then chosen on the
 * same later window ({@link chooseMmrLambda}). Which, and why, is in `rankerChoice`.
 *
 * @example
 * const { artifact } = await trainRecommenderArtifact({ events, messages, courses, now }, {});
 */
export async function trainRecommenderArtifact(data: TrainingData, options: TrainingOptions = {}): Promise<{ artifact: RecommenderArtifact }> {
  const progress = options.onProgress ?? (() => undefined);
  const events = data.events;
  const courseIds = [...new Set([...data.courses.map((c) => c.id), ...events.courseIds])];
  const fitForServing = (from: number) => fitGenerators(events, courseIds, data.courses, data.now, options, (f) => progress(from + (1 - from) * f, 'candidate generators'));
  const withFitted = (full: Awaited<ReturnType<typeof fitForServing>>): RecommenderArtifact => ({
    formatVersion: RECOMMENDER_FORMAT_VERSION, trainedAt: data.now.toISOString(), ...full, ranker: defaultRankerWeights(), rankerChoice: null,
  });
  if (options.ranker === 'blend') {
    const base = withFitted(await fitForServing(0));
    base.rankerChoice = { kept: 'untrained_blend', why: 'the ranker was switched off', validationAuc: { trained: null, blend: null }, validationNdcg: { trained: null, blend: null, tunedBlend: null }, rows: { train: 0, validation: 0 } };
    return { artifact: base };
  }
  // The ranker first, then the generators served: the served fit (its stored neighbour lists, tens
  // of MB of heap) is then not alive under the ranker's rows, whose garbage set the retrain's peak.
  const { ranker, choice, mmrLambda } = await learnRanker(events, data, courseIds, options, (f, stage) => progress(0.5 * f, stage));
  await options.betweenStages?.();
  const base = withFitted(await fitForServing(0.5));
  return { artifact: { ...base, ranker, rankerChoice: choice, ...(mmrLambda === null ? {} : { mmrLambda }) } };
}

async function learnRanker(
  events: EventLog,
  data: TrainingData,
  courseIds: readonly string[],
  options: TrainingOptions,
  progress: (fraction: number, stage: string) => void,
): Promise<{ ranker: RankerWeights; choice: RankerChoice; mmrLambda: number | null }> {
  const untrained = defaultRankerWeights();
  const { catalogue, validation, rows, tooFew, fit } = await fitScorers(events, data, courseIds, options, progress);
  const none = { trained: null, blend: null };
  if (tooFew !== null) {
    return { ranker: untrained, choice: { kept: 'untrained_blend', why: tooFew, validationAuc: none, validationNdcg: { ...none, tunedBlend: null }, rows }, mmrLambda: null };
  }
  // The same scorer serving's MMR uses (equal to contentSimilarity to the last bit, without its map lookups).
  const similarity = contentSimilarityScorer(catalogue);
  // No scorers were fitted only when the ranker and the blend's tuning were switched off.
  if (fit === null) {
    const diversity = chooseMmrLambda(validation, validation.rows.map((x) => predictRanker(untrained, x)), similarity);
    const why = `the ranker and the blend's tuning were switched off; MMR λ ${diversity.lambda}, the most diverse within ${DIVERSITY_BUDGET * 100} % of the later window's NDCG@10`;
    return { ranker: untrained, choice: { kept: 'untrained_blend', why, validationAuc: none, validationNdcg: { ...none, tunedBlend: null }, rows, mmrByLambda: diversity.ndcgByLambda }, mmrLambda: diversity.lambda };
  }
  const { trained, tuned } = fit;
  const scorers = { trained, tuned_blend: tuned, untrained_blend: untrained } as const;
  type Scorer = keyof typeof scorers;
  const byScorer = (f: (name: Scorer) => number[]) => Object.fromEntries((Object.keys(scorers) as Scorer[]).map((name) => [name, f(name)])) as Record<Scorer, number[]>;
  const scores = byScorer((name) => validation.rows.map((x) => predictRanker(scorers[name], x)));
  const perMoment = byScorer((name) => momentNdcgs(scores[name], validation.labels, validation.groups));
  const validationNdcg = { trained: meanOf(perMoment.trained), blend: meanOf(perMoment.untrained_blend), tunedBlend: meanOf(perMoment.tuned_blend) };
  const validationAuc = { trained: trained.auc, blend: auc(scores.untrained_blend, validation.labels) };
  // From the simplest up, a scorer serves only if it ranks the later window clearly better than every simpler one.
  const bySimplicity = ['untrained_blend', 'tuned_blend', 'trained'] as const;
  const kept: RankerChoice['kept'] = bySimplicity.reduce<RankerChoice['kept']>(
    (current, name, at) => (bySimplicity.slice(0, at).every((simpler) => winsClearly(perMoment[name], perMoment[simpler])) ? name : current),
    'untrained_blend',
  );
  const diversity = chooseMmrLambda(validation, scores[kept], similarity);
  progress(1, 'diversity');
  const f4 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));
  const numbers = `NDCG@10 on the later window: trained ranker ${f4(validationNdcg.trained)}, blend tuned on the training window ${f4(validationNdcg.tunedBlend)}, untrained blend ${f4(validationNdcg.blend)}; AUC ${f4(validationAuc.trained)} vs ${f4(validationAuc.blend)}`;
  const margin = `by more than ${CLEAR_WIN_STANDARD_ERRORS} standard errors`;
  const because = {
    untrained_blend: `neither the tuned blend (against the untrained one) nor the trained ranker (against both blends) ranks the later window better ${margin}`,
    tuned_blend: `it ranks the later window better than the untrained blend ${margin}, and the trained ranker does not beat both blends so`,
    trained: `it ranks the later window better than both blends ${margin}`,
  }[kept];
  const why = `${SCORER_NAMES[kept]} serves: ${because} (${numbers}); MMR λ ${diversity.lambda}, the most diverse within ${DIVERSITY_BUDGET * 100} % of that window's NDCG@10`;
  return { ranker: scorers[kept], choice: { kept, why, validationAuc, validationNdcg, rows, mmrByLambda: diversity.ndcgByLambda }, mmrLambda: diversity.lambda };
}

/**
 * The scorers learned on the training window: the blend tuned there and the trained ranker. The
 * training rows die when this returns, before the scorers are judged and the served fit starts.
 */
async function fitScorers(
  events: EventLog,
  data: TrainingData,
  courseIds: readonly string[],
  options: TrainingOptions,
  progress: (fraction: number, stage: string) => void,
): Promise<Omit<RowSets, 'train' | 'tuned'> & { fit: { trained: RankerWeights; tuned: RankerWeights } | null }> {
  const { catalogue, train, validation, tuned, rows, tooFew } = await rankerRowSets(events, data, courseIds, options, progress);
  if (tooFew !== null || tuned === null) return { catalogue, validation, rows, tooFew, fit: null };
  await options.betweenStages?.();
  const trained = await trainRanker(train.rows, train.labels, { epochs: options.epochs ?? 30, hidden: options.hidden ?? 16, validation, onProgress: (f) => progress(0.65 + 0.3 * f, 'ranker') });
  return { catalogue, validation, rows, tooFew, fit: { trained, tuned } };
}

interface RowSets {
  catalogue: CatalogueIndex;
  train: MomentRows & { moments: number };
  validation: MomentRows & { moments: number };
  /** The blend tuned on every candidate of the training window; null when none is (too few rows, or the ranker switched off). */
  tuned: RankerWeights | null;
  rows: { train: number; validation: number };
  /** Why no ranker is learned (too few moments or outcomes), else null. */
  tooFew: string | null;
}

/**
 * The point-in-time rows of each window, built from generators fitted before the cut-off, and the
 * blend tuned on the training window's candidates. That model (tens of MB of neighbour lists) and
 * the tuning rows are needed only here and die when this returns, before the ranker trains.
 */
async function rankerRowSets(
  events: EventLog,
  data: TrainingData,
  courseIds: readonly string[],
  options: TrainingOptions,
  progress: (fraction: number, stage: string) => void,
): Promise<RowSets> {
  const cut = options.cutoffs ?? { features: 0.7, validation: 0.85 };
  const timeAt = (share: number) => events.atMs[Math.min(events.length - 1, Math.floor(events.length * share))] ?? 0;
  const featuresUntil = timeAt(cut.features);
  const validationFrom = timeAt(cut.validation);
  const before = eventsBefore(events, featuresUntil);
  await options.betweenStages?.();
  const fitted = await fitGenerators(before, courseIds, data.courses, new Date(featuresUntil), options, (f) => progress(0.4 * f, 'ranker features before the cut-off'));
  await options.betweenStages?.();
  const model = hydrateModel({ formatVersion: RECOMMENDER_FORMAT_VERSION, trainedAt: new Date(featuresUntil).toISOString(), ...fitted, ranker: defaultRankerWeights(), rankerChoice: null });
  progress(0.4, 'indexing the catalogue');
  const catalogue = indexCatalogue(data.courses);
  await options.betweenStages?.();
  progress(0.42, 'point-in-time ranker rows');
  const maxFollowers = options.maxRankerFollowers ?? DEFAULT_MAX_RANKER_FOLLOWERS;
  const rowOptions = {
    horizonMs: (options.horizonDays ?? 14) * DAY_MS, momentsPerFollower: options.momentsPerFollower ?? 3, negativesPerMoment: options.negativesPerMoment ?? 20, maxFollowers,
  };
  const window = { fromMs: featuresUntil, toMs: validationFrom };
  // Each set of rows samples with its own seeded generator, so building one or not, or in another
  // order, never changes another. The blend is tuned before the later window's rows are built: the
  // tuning rows (every candidate of the training window) then die before those are alive.
  const train = pointInTimeRankerRows(model, catalogue, events, data.messages, { ...rowOptions, ...window, random: seededRandom(11) });
  await options.betweenStages?.();
  // The blend is tuned, and the scorers are judged, on every candidate serving would score (one
  // moment per follower): NDCG over a random sample of them rewarded rankers that lost on the full list.
  const everyCandidate = { ...rowOptions, momentsPerFollower: 1, negativesPerMoment: Infinity };
  const hasBothLabels = (labels: number[]) => labels.includes(0) && labels.includes(1);
  const canTune = options.ranker !== 'untrained' && train.moments >= MIN_MOMENTS && hasBothLabels(train.labels);
  if (canTune) progress(0.48, 'blend weights');
  const tuned = canTune ? tuneBlend(pointInTimeRankerRows(model, catalogue, events, data.messages, { ...everyCandidate, ...window, random: seededRandom(12) })).weights : null;
  await options.betweenStages?.();
  progress(0.55, 'point-in-time ranker rows of the later window');
  const validation = pointInTimeRankerRows(model, catalogue, events, data.messages, { ...everyCandidate, fromMs: validationFrom, toMs: Infinity, random: seededRandom(13) });
  const rows = { train: train.rows.length, validation: validation.rows.length };
  if (train.moments < MIN_MOMENTS || validation.moments < MIN_MOMENTS || !hasBothLabels(train.labels) || !hasBothLabels(validation.labels)) {
    const tooFew = `too few point-in-time rows to learn and validate (${train.moments} moments in the training window, ${validation.moments} in the later one; need ${MIN_MOMENTS} each, with both outcomes)`;
    return { catalogue, train, validation, tuned: null, rows, tooFew };
  }
  return { catalogue, train, validation, tuned, rows, tooFew: null };
}
