import * as tf from '@tensorflow/tfjs';

/** Inputs of the ranker, in this order; each is scaled to about 0…1 before it gets here. */
export const RANKER_FEATURES = [
  'item_cf', 'content', 'popularity', 'segment_popularity', 'trending', 'association_rules', 'interests',
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
    item_cf: 3, content: 2, popularity: 0.8, segment_popularity: 1.5, trending: 0.6, association_rules: 2, interests: 2,
    price_match: 0.5, recency: 0, hour_sin: 0, hour_cos: 0, is_new: 0.3,
  };
  return { hidden: 1, w1: RANKER_FEATURES.map((f) => prior[f]), b1: [0], w2: [1], b2: -2, trainedOn: 0, logLoss: null, auc: null };
}

/**
 * Predicted probability that a follower clicks or buys, for one feature row. Plain JS so serving
 * needs no tensors (a row is 12 × hidden multiply-adds).
 *
 * @example
 * predictRanker(weights, [0.8, 0.2, 0.5, 0.4, 0.1, 0, 1, 1, 0.9, 0, 1, 0]) // 0.71
 */
export function predictRanker(w: RankerWeights, x: readonly number[]): number {
  let out = w.b2;
  for (let h = 0; h < w.hidden; h++) {
    let a = w.b1[h]!;
    for (let f = 0; f < x.length; f++) a += x[f]! * w.w1[f * w.hidden + h]!;
    out += Math.max(0, a) * w.w2[h]!;
  }
  return 1 / (1 + Math.exp(-out));
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

/**
 * Trains the ranker with TensorFlow.js on impressions (label 1 when the impression led to a click,
 * checkout or purchase). Holds out every fifth row to report log loss and AUC. Deterministic seed.
 *
 * @example
 * const weights = await trainRanker(rows, labels, { epochs: 30, onProgress: (f) => log(f) });
 */
export async function trainRanker(rows: number[][], labels: number[], options: { epochs?: number; hidden?: number; onProgress?: (fraction: number) => void } = {}): Promise<RankerWeights> {
  const hidden = options.hidden ?? 8;
  const epochs = options.epochs ?? 30;
  const trainIdx = rows.map((_, i) => i).filter((i) => i % 5 !== 4);
  const testIdx = rows.map((_, i) => i).filter((i) => i % 5 === 4);
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [RANKER_FEATURES.length], units: hidden, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
  const xs = tf.tensor2d(trainIdx.map((i) => rows[i]!));
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
    if (testIdx.length > 0) {
      const p = testIdx.map((i) => predictRanker(weights, rows[i]!));
      const y = testIdx.map((i) => labels[i]!);
      weights.logLoss = -p.reduce((s, q, j) => s + (y[j] ? Math.log(Math.max(q, 1e-7)) : Math.log(Math.max(1 - q, 1e-7))), 0) / p.length;
      weights.auc = auc(p, y);
    }
    return weights;
  } finally {
    xs.dispose();
    ys.dispose();
    model.dispose();
  }
}
