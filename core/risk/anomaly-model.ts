/**
 * The learned part of the score: robust z-scores. For each feature of a follower's behaviour the
 * baseline keeps the median and the median absolute deviation (MAD) over a reference audience;
 * a follower's anomaly is the largest `(x − median) / max(1.4826 · MAD, floor)` over the features,
 * and the feature that gave it. Fitting is offline (`npm run bench:risk -- --write-baseline` fits on
 * the replayed demo audience and writes `anomaly-baseline.ts`); serving only reads the numbers.
 * It is deliberately simple: robust to the outliers it is meant to find, explainable in one
 * sentence, and honest about its reference (a synthetic demo audience until refit on real traffic).
 */
export const ANOMALY_FEATURES = ['peakEventsPerMinute', 'peakCoursesPerMinute', 'peakMessagesPerMinute', 'refunds', 'paymentFailures', 'linkedAccounts', 'duplicateTextAccounts'] as const;
export type AnomalyFeature = (typeof ANOMALY_FEATURES)[number];
export type FeatureVector = Record<AnomalyFeature, number>;

export interface AnomalyBaseline {
  /** How many followers it was fitted on, and when. */
  fittedOn: number;
  fittedAt: string;
  median: FeatureVector;
  mad: FeatureVector;
}

/** The smallest scale per feature: one unit of a count, so a baseline with MAD 0 does not make every 1 infinite. */
const FLOOR = 1;
const MAD_TO_SIGMA = 1.4826;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Fits the baseline on a reference audience's feature vectors.
 *
 * @example
 * const baseline = fitAnomalyBaseline(vectors, new Date());
 */
export function fitAnomalyBaseline(vectors: readonly FeatureVector[], at: Date): AnomalyBaseline {
  const med = {} as FeatureVector;
  const mad = {} as FeatureVector;
  for (const feature of ANOMALY_FEATURES) {
    const values = vectors.map((v) => v[feature]);
    med[feature] = median(values);
    mad[feature] = median(values.map((x) => Math.abs(x - med[feature])));
  }
  return { fittedOn: vectors.length, fittedAt: at.toISOString(), median: med, mad };
}

/**
 * The follower's anomaly: the largest robust z over the features (only excesses count: doing less
 * than the median is not suspicious), and which feature it was.
 *
 * @example
 * anomalyOf(baseline, vector); // { z: 11.2, feature: 'peakEventsPerMinute' }
 */
export function anomalyOf(baseline: AnomalyBaseline, vector: FeatureVector): { z: number; feature: AnomalyFeature } {
  let best: { z: number; feature: AnomalyFeature } = { z: 0, feature: ANOMALY_FEATURES[0] };
  for (const feature of ANOMALY_FEATURES) {
    const z = (vector[feature] - baseline.median[feature]) / Math.max(MAD_TO_SIGMA * baseline.mad[feature], FLOOR);
    if (z > best.z) best = { z, feature };
  }
  return best;
}
