import { PURCHASE_PROPENSITY_WORDS, type ChurnRiskLevel, type FollowerScores } from '../followers/propensity.js';

/** What the persona shows of a follower's scores: the numbers, and the same in words in both languages. */
export interface PersonaOutlook {
  /** e.g. "likely to buy in the next 14 days (top 10 %); likely to stay active". */
  'zh-CN': string;
  en: string;
}

/** The scores' numbers as the persona shows them, rounded. */
export interface PersonaScores {
  purchasePropensity: number;
  purchaseTopPercent: number;
  churnRisk: number;
  horizonDays: number;
  scoredAt: string;
}

const CHURN_WORDS: Record<ChurnRiskLevel, { zh: string; en: string }> = {
  high: { zh: '有流失风险', en: 'at risk of leaving' },
  medium: { zh: '可能渐渐沉默', en: 'may drift away' },
  low: { zh: '很可能继续活跃', en: 'likely to stay active' },
};

/**
 * The follower's purchase propensity and churn risk in words, Chinese and English.
 *
 * @example
 * describeOutlook({ purchasePropensity: 0.42, purchaseTopPercent: 8, churnRisk: 0.1, churnBand: 'low', horizonDays: 14, … }).en;
 * // 'likely to buy in the next 14 days (top 8 %); likely to stay active'
 */
export function describeOutlook(scores: FollowerScores | null | undefined): PersonaOutlook {
  if (!scores) return { 'zh-CN': '尚未评分（还没有活动，或模型还没训练）', en: 'Not scored yet (no activity, or no model trained yet)' };
  const p = scores.purchasePropensity;
  const days = scores.horizonDays;
  const top = scores.purchaseTopPercent;
  const buy =
    p >= PURCHASE_PROPENSITY_WORDS.likelyFrom ? { zh: `很可能在 ${days} 天内购买`, en: `likely to buy in the next ${days} days` }
    : p >= PURCHASE_PROPENSITY_WORDS.mayBuyFrom ? { zh: `${days} 天内可能购买`, en: `may buy in the next ${days} days` }
    : { zh: `${days} 天内不太可能购买`, en: `unlikely to buy in the next ${days} days` };
  const churn = CHURN_WORDS[scores.churnBand];
  return { 'zh-CN': `${buy.zh}（前 ${top}%）；${churn.zh}`, en: `${buy.en} (top ${top} %); ${churn.en}` };
}

/** The scores' numbers for the persona, or null when not scored. */
export function personaScoresOf(scores: FollowerScores | null | undefined): PersonaScores | null {
  if (!scores) return null;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    purchasePropensity: round(scores.purchasePropensity),
    purchaseTopPercent: scores.purchaseTopPercent,
    churnRisk: round(scores.churnRisk),
    horizonDays: scores.horizonDays,
    scoredAt: scores.scoredAt.toISOString(),
  };
}
