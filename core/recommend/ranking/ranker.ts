import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seededRandom } from '../data/top-k.js';

/** Inputs of the ranker, in this order; each is scaled to about 0…1 before it gets here. */
export const RANKER_FEATURES = [
  'item_cf', 'ease', 'rp3beta', 'content', 'popularity', 'segment_popularity', 'trending', 'association_rules', 'interests',
  'price_match', 'recency', 'hour_sin', 'hour_cos', 'is_new',
] as const;
export type RankerFeature = (typeof RANKER_FEATURES)[number];

/** A small multilayer perceptron (one hidden ReLU layer, sigmoid output), stored as plain arrays. */
export interface RankerWeights {
  hidden: number;
  /** features × hidden, row-major. */
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number;
  trainedOn: number;
  logLoss: number | null;
  auc: number | null;
}

/** Used until there are enough impressions to learn from: a linear blend written as an MLP with identity-like units. */
export function defaultRankerWeights(): RankerWeights {
  const prior: Record<RankerFeature, number> = {
    item_cf: 3, ease: 3, rp3beta: 2, content: 2, popularity: 0.8, segment_popularity: 1.5, trending: 0.6, association_rules: 2, interests: 2,
    price_match: 0.5, recency: 0, hour_sin: 0, hour_cos: 0, is_new: 0.3,
  };
  return { hidden: 1, w1: RANKER_FEATURES.map((f) => prior[f]), b1: [0], w2: [1], b2: -2, trainedOn: 0, logLoss: null, auc: null };
}

/**
 * Predicted probability that a follower clicks or buys, for one feature row. Plain JS so serving
 * needs no tensors (a row is 14 × hidden multiply-adds).
 *
 * @example
 * predictRanker(defaultRankerWeights(), [0.8, 0.5, 0.3, 0.2, 0.5, 0.4, 0.1, 0, 1, 1, 0.9, 0, 1, 0]) // 0.99
 */
export function predictRanker(w: RankerWeights, x: readonly number[]): number {
  return 1 / (1 + Math.exp(-rankerLogit(w, x)));
}

/**
 * How much each feature moved this row's score: the logit minus the logit with that feature set to
 * 0 (occlusion), in RANKER_FEATURES order. What serving explains a pick by.
 *
 * @example
 * featureContributions(weights, row)[RANKER_FEATURES.indexOf('item_cf')] // 1.7
 */
export function featureContributions(w: RankerWeights, x: readonly number[]): number[] {
  const full = rankerLogit(w, x);
  const without = [...x];
  return x.map((v, f) => {
    if (v === 0) return 0;
    without[f] = 0;
    const delta = full - rankerLogit(w, without);
    without[f] = v;
    return delta;
  });
}

function rankerLogit(w: RankerWeights, x: readonly number[]): number {
  let out = w.b2;
  for (let h = 0; h < w.hidden; h++) {
    let a = w.b1[h]!;
    for (let f = 0; f < x.length; f++) a += x[f]! * w.w1[f * w.hidden + h]!;
    out += Math.max(0, a) * w.w2[h]!;
  }
  return out;
}

/** Area under the ROC curve of scores against 0/1 labels (ties count half). */
export function auc(scores: readonly number[], labels: readonly number[]): number | null {
  const order = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  const nPos = labels.filter((l) => l === 1).length;
  const nNeg = labels.length - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const midRank = (i + j + 1) / 2;
    for (let t = i; t < j; t++) if (order[t]![1] === 1) rankSum += midRank;
    i = j;
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Mean binary cross-entropy of probabilities against 0/1 labels. */
export function logLoss(p: readonly number[], y: readonly number[]): number | null {
  if (p.length === 0) return null;
  return -p.reduce((s, q, j) => s + (y[j] ? Math.log(Math.max(q, 1e-7)) : Math.log(Math.max(1 - q, 1e-7))), 0) / p.length;
}

/**
 * Trains the ranker with TensorFlow.js on point-in-time rows (label 1 when the follower took the
 * candidate soon after). Log loss and AUC are measured on `validation` (rows from a later time
 * window than the training rows). Deterministic seed.
 *
 * @example
 * const weights = await trainRanker(rows, labels, { epochs: 30, validation: { rows: later, labels: laterLabels } });
 */
export async function trainRanker(
  rows: number[][],
  labels: number[],
  options: { epochs?: number; hidden?: number; validation?: { rows: number[][]; labels: number[] }; onProgress?: (fraction: number) => void } = {},
): Promise<RankerWeights> {
  const hidden = options.hidden ?? 8;
  const epochs = options.epochs ?? 30;
  // Rows arrive in time order; a seeded shuffle keeps the mini-batches mixed and the result repeatable.
  const trainIdx = rows.map((_, i) => i);
  const random = seededRandom(7);
  for (let i = trainIdx.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [trainIdx[i], trainIdx[j]] = [trainIdx[j]!, trainIdx[i]!];
  }
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ inputShape: [RANKER_FEATURES.length], units: hidden, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
  const xs = tf.tensor2d(trainIdx.map((i) => rows[i]!), [trainIdx.length, RANKER_FEATURES.length]);
  const ys = tf.tensor2d(trainIdx.map((i) => [labels[i]!]));
  try {
    await model.fit(xs, ys, {
      epochs,
      batchSize: 256,
      shuffle: false,
      verbose: 0,
      callbacks: { onEpochEnd: async (epoch) => options.onProgress?.((epoch + 1) / epochs) },
    });
    const [k1, bias1] = model.layers[0]!.getWeights();
    const [k2, bias2] = model.layers[1]!.getWeights();
    const weights: RankerWeights = {
      hidden,
      w1: Array.from(await k1!.data()),
      b1: Array.from(await bias1!.data()),
      w2: Array.from(await k2!.data()),
      b2: (await bias2!.data())[0]!,
      trainedOn: trainIdx.length,
      logLoss: null,
      auc: null,
    };
    if (options.validation && options.validation.rows.length > 0) {
      const p = options.validation.rows.map((x) => predictRanker(weights, x));
      weights.logLoss = logLoss(p, options.validation.labels);
      weights.auc = auc(p, options.validation.labels);
    }
    return weights;
  } finally {
    xs.dispose();
    ys.dispose();
    model.dispose();
  }
}
