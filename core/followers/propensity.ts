/**
 * Purchase propensity and churn risk: the one definition of the bands the persona shows in words and
 * broadcast segments select on (`churnRisk`). Scores are probabilities over the next
 * `horizonDays` that the retrain's model (core/recommend/propensity) writes per follower; the band
 * is computed here when scoring and stored beside the probability, so segment SQL and the persona
 * read the same band.
 */

/** Churn-risk bands, lowest first. */
export const CHURN_RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type ChurnRiskLevel = (typeof CHURN_RISK_LEVELS)[number];

/** Lower bounds of the churn probability (no activity within the horizon) for `medium` and `high`. */
export const CHURN_RISK_BANDS = { mediumFrom: 0.3, highFrom: 0.6 } as const;

/** Lower bounds of the purchase probability the persona words as "likely" and "may buy". */
export const PURCHASE_PROPENSITY_WORDS = { mayBuyFrom: 0.1, likelyFrom: 0.3 } as const;

/** A follower's scores as the last scoring run wrote them. */
export interface FollowerScores {
  /** Probability of a purchase within `horizonDays` of `scoredAt`. */
  purchasePropensity: number;
  /** 1–100: the follower's place among everyone scored in the same run (1: the most likely 1 %). */
  purchaseTopPercent: number;
  /** Probability of no activity at all within `horizonDays` of `scoredAt`. */
  churnRisk: number;
  churnBand: ChurnRiskLevel;
  horizonDays: number;
  modelVersion: number;
  scoredAt: Date;
}

/**
 * The churn-risk band of a probability.
 *
 * @example
 * churnBandOf(0.72); // 'high'
 */
export function churnBandOf(probability: number): ChurnRiskLevel {
  if (probability >= CHURN_RISK_BANDS.highFrom) return 'high';
  if (probability >= CHURN_RISK_BANDS.mediumFrom) return 'medium';
  return 'low';
}

/**
 * The 1–100 "top N %" place of each score among all of them (highest score: 1).
 *
 * @example
 * topPercents([0.9, 0.1, 0.5, 0.2]); // [25, 100, 50, 75]
 */
export function topPercents(scores: readonly number[]): number[] {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const out = new Array<number>(scores.length);
  order.forEach(([, i], rank) => (out[i] = Math.max(1, Math.min(100, Math.ceil((100 * (rank + 1)) / scores.length)))));
  return out;
}
