import { auc } from '../ranking/ranker.js';

/** One decile of predictions: how many, the mean predicted probability and the observed rate. */
export interface ReliabilityBin {
  count: number;
  predicted: number;
  observed: number;
}

/** How well probabilities rank (AUC) and how well they are calibrated (Brier, log loss, reliability by decile). */
export interface ProbabilityReport {
  n: number;
  positives: number;
  /** Null when the labels are all one class. */
  auc: number | null;
  brier: number;
  logLoss: number;
  /** Predictions split into ten equal-count bins by predicted probability, lowest first. */
  reliability: ReliabilityBin[];
  /** Count-weighted mean |predicted − observed| over the bins (expected calibration error). */
  calibrationError: number;
}

/**
 * AUC, Brier score, log loss and a reliability table by decile for predicted probabilities.
 *
 * @example
 * const report = probabilityReport([0.9, 0.2, 0.6], [1, 0, 1]); // { auc: 1, brier: 0.07, … }
 */
export function probabilityReport(predicted: readonly number[], labels: readonly number[]): ProbabilityReport {
  const n = predicted.length;
  let brier = 0;
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - 1e-9, Math.max(1e-9, predicted[i]!));
    brier += (p - labels[i]!) ** 2;
    logLoss -= labels[i]! ? Math.log(p) : Math.log(1 - p);
  }
  const order = predicted.map((p, i) => i).sort((a, b) => predicted[a]! - predicted[b]!);
  const reliability: ReliabilityBin[] = [];
  for (let bin = 0; bin < 10; bin++) {
    const members = order.slice(Math.floor((bin * n) / 10), Math.floor(((bin + 1) * n) / 10));
    if (members.length === 0) continue;
    reliability.push({
      count: members.length,
      predicted: members.reduce((s, i) => s + predicted[i]!, 0) / members.length,
      observed: members.reduce((s, i) => s + labels[i]!, 0) / members.length,
    });
  }
  const calibrationError = n ? reliability.reduce((s, b) => s + b.count * Math.abs(b.predicted - b.observed), 0) / n : 0;
  return { n, positives: labels.reduce((s, l) => s + l, 0), auc: auc(predicted, labels), brier: n ? brier / n : 0, logLoss: n ? logLoss / n : 0, reliability, calibrationError };
}
