import { seededRandom } from '../random.js';
import { extractFeatures } from './features.js';
import { INTENTS, type IntentName } from './intents.js';
import { normalizeText } from './normalize-text.js';

/**
 * A multinomial logistic regression over sparse binary features (see `extractFeatures`). Weights are
 * stored feature-major: the weight of feature `f` for label `k` is `weights[f * labels.length + k]`.
 */
export interface IntentModel {
  readonly labels: readonly IntentName[];
  readonly featureIndex: ReadonlyMap<string, number>;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

export interface TrainingOptions {
  /** Passes over the training data. */
  epochs?: number;
  /** AdaGrad base step. */
  learningRate?: number;
  /** L2 penalty, applied to the weights an example touches. */
  l2?: number;
  /** Seed of the example order; the same seed and data give the same weights, bit for bit. */
  seed?: number;
  /** The served weights are the mean of the weights after each of the last `average` epochs (0: the last epoch's). */
  average?: number;
  /** Weight of a template row's loss relative to a handwritten row's. */
  templateWeight?: number;
  /** Weigh each intent's rows so every intent carries the same total weight. */
  balance?: boolean;
}

export interface IntentScore {
  intent: IntentName;
  probability: number;
}

const MIN_ERROR = 1e-3;
// Chosen by 5-fold cross-validation of the train split (scripts/eval-dialog.ts prints it): averaging the
// last 4 epochs and a lighter L2 each gained a few tenths; class balancing and down-weighting templates did not.
const DEFAULTS: Required<TrainingOptions> = { epochs: 12, learningRate: 0.3, l2: 1e-5, seed: 12, average: 4, templateWeight: 1, balance: false };

function softmaxInPlace(logits: Float64Array): void {
  let max = -Infinity;
  for (const z of logits) max = Math.max(max, z);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    logits[k] = Math.exp(logits[k]! - max);
    sum += logits[k]!;
  }
  for (let k = 0; k < logits.length; k++) logits[k] = logits[k]! / sum;
}

function probabilities(model: IntentModel, featureIds: readonly number[], into: Float64Array): void {
  const labelCount = model.labels.length;
  const value = featureIds.length > 0 ? 1 / Math.sqrt(featureIds.length) : 0;
  into.set(model.bias);
  for (const f of featureIds) {
    const row = f * labelCount;
    for (let k = 0; k < labelCount; k++) into[k] = into[k]! + value * model.weights[row + k]!;
  }
  softmaxInPlace(into);
}

/**
 * Trains the intent model on labelled utterances with AdaGrad SGD on the cross-entropy loss.
 * Deterministic: the vocabulary is built in example order and the example order of each epoch
 * comes from a seeded generator. About a second for the repository corpus (4 300 utterances) on one idle core.
 *
 * @example
 * const model = trainIntentModel(loadCorpus().filter((u) => u.split === 'train'));
 */
export function trainIntentModel(examples: ReadonlyArray<{ text: string; intent: IntentName; source?: 'hand' | 'template' }>, options: TrainingOptions = {}): IntentModel {
  const { epochs, learningRate, l2, seed, average, templateWeight, balance } = { ...DEFAULTS, ...options };
  const labels = INTENTS;
  const labelCount = labels.length;
  const featureIndex = new Map<string, number>();
  const encoded = examples.map((example) => {
    const ids = extractFeatures(normalizeText(example.text)).map((feature) => {
      let id = featureIndex.get(feature);
      if (id === undefined) {
        id = featureIndex.size;
        featureIndex.set(feature, id);
      }
      return id;
    });
    return { ids, label: labels.indexOf(example.intent), weight: example.source === 'template' ? templateWeight : 1 };
  });
  if (balance) {
    const totals = new Float64Array(labelCount);
    for (const e of encoded) totals[e.label] = totals[e.label]! + e.weight;
    const mean = totals.reduce((a, b) => a + b, 0) / labelCount;
    for (const e of encoded) e.weight *= mean / totals[e.label]!;
  }
  const sum = average > 0 ? new Float64Array(featureIndex.size * labelCount) : undefined;
  const biasSum = new Float64Array(labelCount);
  let snapshots = 0;
  const model: IntentModel = { labels, featureIndex, weights: new Float64Array(featureIndex.size * labelCount), bias: new Float64Array(labelCount) };
  const weights = model.weights as Float64Array;
  const bias = model.bias as Float64Array;
  const squaredGradients = new Float64Array(weights.length);
  const biasSquaredGradients = new Float64Array(labelCount);
  const p = new Float64Array(labelCount);
  const random = seededRandom(seed);
  const order = encoded.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const { ids, label, weight } = encoded[index]!;
      probabilities(model, ids, p);
      const value = ids.length > 0 ? 1 / Math.sqrt(ids.length) : 0;
      for (let k = 0; k < labelCount; k++) {
        const error = (p[k]! - (k === label ? 1 : 0)) * weight;
        // Labels the model already gets right to three decimals would barely move: skipping them makes training several times faster.
        if (Math.abs(error) < MIN_ERROR) continue;
        biasSquaredGradients[k] = biasSquaredGradients[k]! + error * error;
        bias[k] = bias[k]! - (learningRate * error) / (Math.sqrt(biasSquaredGradients[k]!) + 1e-8);
        for (const f of ids) {
          const w = f * labelCount + k;
          const gradient = error * value + l2 * weights[w]!;
          squaredGradients[w] = squaredGradients[w]! + gradient * gradient;
          weights[w] = weights[w]! - (learningRate * gradient) / (Math.sqrt(squaredGradients[w]!) + 1e-8);
        }
      }
    }
    if (sum && epoch >= epochs - average) {
      snapshots++;
      for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + weights[i]!;
      for (let k = 0; k < labelCount; k++) biasSum[k] = biasSum[k]! + bias[k]!;
    }
  }
  if (sum) {
    for (let i = 0; i < sum.length; i++) weights[i] = sum[i]! / snapshots;
    for (let k = 0; k < labelCount; k++) bias[k] = biasSum[k]! / snapshots;
  }
  return model;
}

/**
 * Every intent with its probability for already normalized text, most likely first. Features the
 * model never saw in training are ignored.
 *
 * @example
 * scoreIntents(model, normalizeText('我要退款'))[0] // { intent: 'refund', probability: 0.93 }
 */
export function scoreIntents(model: IntentModel, normalized: string): IntentScore[] {
  const ids: number[] = [];
  for (const feature of extractFeatures(normalized)) {
    const id = model.featureIndex.get(feature);
    if (id !== undefined) ids.push(id);
  }
  const p = new Float64Array(model.labels.length);
  probabilities(model, ids, p);
  return model.labels.map((intent, k) => ({ intent, probability: p[k]! })).sort((a, b) => b.probability - a.probability);
}

/**
 * A short hash of everything the model computes with (labels, features, weights), to compare two
 * trainings bit for bit.
 *
 * @example
 * modelFingerprint(trainIntentModel(train)) === modelFingerprint(trainIntentModel(train)) // true
 */
export function modelFingerprint(model: IntentModel): string {
  let hash = 0x811c9dc5;
  const mix = (byte: number) => {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  };
  for (const char of model.labels.join(',')) mix(char.codePointAt(0)!);
  for (const [feature, id] of model.featureIndex) {
    for (const char of feature) mix(char.codePointAt(0)!);
    mix(id & 0xff);
  }
  for (const array of [model.weights, model.bias]) for (const byte of new Uint8Array(array.buffer, array.byteOffset, array.byteLength)) mix(byte);
  return hash.toString(16).padStart(8, '0');
}
