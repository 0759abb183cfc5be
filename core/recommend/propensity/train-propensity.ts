import { churnBandOf, topPercents } from '../../followers/propensity.js';
import type { ScoredFollower } from '../../ports/index.js';
import { probabilityReport, type ProbabilityReport } from './calibration.js';
import { fitLogistic, predictLogistic, standardise, type FeatureMatrix, type LogisticModel, type StandardisedRows } from './logistic-model.js';
import { featuresAsOf, outcomesAfter, PROPENSITY_FEATURES, type FollowerTimeline, type PricedCourse } from './propensity-features.js';

export const PROPENSITY_ARTIFACT_KIND = 'propensity';

/** The two targets: a purchase within the horizon, and no activity within it. */
export type PropensityTarget = 'purchase' | 'churn';

/** Settings of one training run; defaults in PROPENSITY_DEFAULTS. */
export interface PropensityOptions {
  /** Days after a cut-off the labels look at (and scores speak of). */
  horizonDays: number;
  /** Training cut-offs, one every `cutoffStepDays` before the validation window. */
  trainCutoffs: number;
  cutoffStepDays: number;
  /** L2 penalties tried; the one with the lowest validation log loss is kept. */
  l2Grid: readonly number[];
}

export const PROPENSITY_DEFAULTS: PropensityOptions = { horizonDays: 14, trainCutoffs: 4, cutoffStepDays: 7, l2Grid: [0.0001, 0.001, 0.01, 0.1, 1, 10] };

/** Examples of one target that a model needs before it is trusted: this many of each class. */
const MIN_PER_CLASS = 3;
const DAY_MS = 86_400_000;

/** What a retrain stores (JSON): the fitted models, the settings, and how they did on validation. */
export interface PropensityArtifact {
  formatVersion: 1;
  trainedAt: string;
  horizonDays: number;
  features: string[];
  /** Null when the data had too few purchases (or non-purchases) to fit. */
  purchase: LogisticModel | null;
  churn: LogisticModel | null;
  validation: Record<PropensityTarget, TargetValidation>;
}

/** How the model of one target did on the validation window, or why there is none. */
export interface TargetValidation {
  trainExamples: number;
  validationExamples: number;
  /** The L2 penalty chosen on validation. */
  l2: number | null;
  report: ProbabilityReport | null;
  /** Why no model was fitted, in words, when it was not. */
  skipped: string | null;
}

interface Examples {
  rows: FeatureMatrix;
  /** How many rows there are up to the end of each cut-off's. */
  ends: number[];
  labels: Record<PropensityTarget, Uint8Array>;
}

/**
 * Feature rows and both labels at each cut-off in turn, for every follower active before it: one
 * flat array sized for every follower at every cut-off, of which the first `rows.rows` are used.
 */
function examplesAt(timelines: ReadonlyMap<string, FollowerTimeline>, courses: ReadonlyMap<string, PricedCourse>, cutoffs: readonly Date[], horizonDays: number): Examples {
  const d = PROPENSITY_FEATURES.length;
  const capacity = timelines.size * cutoffs.length;
  const values = new Float64Array(capacity * d);
  const labels = { purchase: new Uint8Array(capacity), churn: new Uint8Array(capacity) };
  const ends: number[] = [];
  let n = 0;
  for (const cutoff of cutoffs) {
    for (const timeline of timelines.values()) {
      const row = featuresAsOf(timeline, courses, cutoff);
      if (!row) continue;
      const outcome = outcomesAfter(timeline, cutoff, horizonDays);
      values.set(row, n * d);
      labels.purchase[n] = outcome.purchased ? 1 : 0;
      labels.churn[n] = outcome.churned ? 1 : 0;
      n++;
    }
    ends.push(n);
  }
  return { ends, rows: { values: values.subarray(0, n * d), rows: n, columns: d }, labels: { purchase: labels.purchase.subarray(0, n), churn: labels.churn.subarray(0, n) } };
}

const classCounts = (labels: ArrayLike<number>) => {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  return { positives, negatives: labels.length - positives };
};

/**
 * Trains the purchase-propensity and churn-risk models as of `now`, on events before it only:
 * examples at several training cut-offs (each follower's features as of the cut-off, labels from
 * the `horizonDays` after it), the L2 penalty chosen by log loss on a later validation cut-off
 * (`now − horizonDays`, whose labels end at `now`), then refitted with that penalty on all
 * cut-offs. Pure and deterministic.
 *
 * @example
 * const artifact = trainPropensity(groupActivity(events), coursesById, clock.now());
 * artifact.validation.purchase.report?.auc; // 0.81
 */
export function trainPropensity(
  timelines: ReadonlyMap<string, FollowerTimeline>,
  courses: ReadonlyMap<string, PricedCourse>,
  now: Date,
  options: PropensityOptions = PROPENSITY_DEFAULTS,
): PropensityArtifact {
  const validationCutoff = new Date(now.getTime() - options.horizonDays * DAY_MS);
  const trainCutoffs = Array.from({ length: options.trainCutoffs }, (_, k) => new Date(validationCutoff.getTime() - (options.horizonDays + k * options.cutoffStepDays) * DAY_MS));
  // The training cut-offs' rows first, then the validation cut-off's: penalties are chosen fitting
  // the first `nTrain` rows, and the model kept is refitted on all of them.
  const examples = examplesAt(timelines, courses, [...trainCutoffs, validationCutoff], options.horizonDays);
  const nTrain = examples.ends[trainCutoffs.length - 1] ?? 0;
  const { rows, labels } = examples;
  const d = rows.columns;
  // Standardised copies of the rows, made when a target first needs them (none when both are skipped).
  const copies: { train?: StandardisedRows; all?: StandardisedRows } = {};
  const train = () => (copies.train ??= standardise(rows, nTrain));
  const all = () => (copies.all ??= standardise(rows));
  const validationRow = (i: number) => rows.values.subarray((nTrain + i) * d, (nTrain + i + 1) * d);
  const fitTarget = (target: PropensityTarget): { model: LogisticModel | null; validation: TargetValidation } => {
    const base = { trainExamples: nTrain, validationExamples: rows.rows - nTrain };
    const inTrain = classCounts(labels[target].subarray(0, nTrain));
    if (Math.min(inTrain.positives, inTrain.negatives) < MIN_PER_CLASS) {
      const skipped = `${inTrain.positives} positive and ${inTrain.negatives} negative training examples; at least ${MIN_PER_CLASS} of each are needed`;
      return { model: null, validation: { ...base, l2: null, report: null, skipped } };
    }
    const validationLabels = Array.from(labels[target].subarray(nTrain));
    const inValidation = classCounts(validationLabels);
    const canValidate = Math.min(inValidation.positives, inValidation.negatives) > 0;
    let best: { l2: number; report: ProbabilityReport } | null = null;
    if (canValidate) {
      for (const l2 of options.l2Grid) {
        const model = fitLogistic(train(), labels[target], { l2 });
        const report = probabilityReport(validationLabels.map((_, i) => predictLogistic(model, validationRow(i))), validationLabels);
        if (!best || report.logLoss < best.report.logLoss) best = { l2, report };
      }
    }
    // Without a validation window holding both outcomes, the middle of the grid is used untested.
    const l2 = best?.l2 ?? options.l2Grid[Math.floor(options.l2Grid.length / 2)]!;
    const model = fitLogistic(all(), labels[target], { l2 });
    return { model, validation: { ...base, l2, report: best?.report ?? null, skipped: null } };
  };
  const purchase = fitTarget('purchase');
  const churn = fitTarget('churn');
  return {
    formatVersion: 1,
    trainedAt: now.toISOString(),
    horizonDays: options.horizonDays,
    features: [...PROPENSITY_FEATURES],
    purchase: purchase.model,
    churn: churn.model,
    validation: { purchase: purchase.validation, churn: churn.validation },
  };
}

/**
 * Scores every follower with an event before `now`: purchase propensity with their top-percent
 * place among all scored, churn risk with its band. Empty when either model is missing.
 *
 * @example
 * const scored = scoreFollowers(artifact, timelines, coursesById, clock.now());
 */
export function scoreFollowers(
  artifact: Pick<PropensityArtifact, 'purchase' | 'churn'>,
  timelines: ReadonlyMap<string, FollowerTimeline>,
  courses: ReadonlyMap<string, PricedCourse>,
  now: Date,
): ScoredFollower[] {
  const { purchase, churn } = artifact;
  if (!purchase || !churn) return [];
  const scored: Array<{ followerId: string; purchasePropensity: number; churnRisk: number }> = [];
  for (const [followerId, timeline] of timelines) {
    const row = featuresAsOf(timeline, courses, now);
    if (row) scored.push({ followerId, purchasePropensity: predictLogistic(purchase, row), churnRisk: predictLogistic(churn, row) });
  }
  const places = topPercents(scored.map((s) => s.purchasePropensity));
  return scored.map((s, i) => ({ ...s, purchaseTopPercent: places[i]!, churnBand: churnBandOf(s.churnRisk) }));
}
