import { z } from 'zod';
import type { AssociationRule } from '../recommend/index.js';

/**
 * Why a cross-sell offer was made, stored with the message so its template can say so
 * (`{purchased}`, `{confidence}`, `{lift}`, `{support}`; see renderCampaignMessage).
 */
export interface CrossSellReason {
  /** The recommender's association rules, or co-purchase counts of paid orders while no model is trained yet. */
  source: 'association_rules' | 'co_purchase';
  /** The rule's antecedent, the purchase that triggered the offer first: "people who bought these also bought the offer". */
  purchased: Array<{ courseId: string; titleZh: string; titleEn: string }>;
  /** Share of buyers who bought the antecedent and the offered course together. */
  support: number;
  /** Share of the antecedent's buyers who also bought the offered course. */
  confidence: number;
  /** Confidence over the offered course's own share of buyers; above 1 means they go together more than chance. */
  lift: number;
}

/** Thresholds a rule must meet to be offered; the retargeting rule's params override these. */
export const CROSS_SELL_DEFAULTS = { minConfidence: 0.2, minLift: 1 } as const;

const ruleSchema = z.object({
  antecedent: z.array(z.string().min(1)).min(1),
  consequent: z.string().min(1),
  support: z.number().min(0).max(1),
  confidence: z.number().min(0).max(1),
  lift: z.number().min(0).finite(),
});

/**
 * Reads the association rules out of a stored recommender artifact (JSON of unknown shape): null
 * when it has no rules list at all, otherwise the well-formed rules (a malformed one is dropped,
 * never fatal), grouped under every course of their antecedent.
 *
 * @example
 * const byCourse = indexAssociationRules(artifact.data); // Map { 'a' => [{ antecedent: ['a'], consequent: 'b', … }] }
 */
export function indexAssociationRules(artifactData: unknown): Map<string, AssociationRule[]> | null {
  const rules = (artifactData as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return null;
  const byCourse = new Map<string, AssociationRule[]>();
  for (const raw of rules) {
    const parsed = ruleSchema.safeParse(raw);
    if (!parsed.success) continue;
    for (const courseId of new Set(parsed.data.antecedent)) {
      const rulesOfCourse = byCourse.get(courseId);
      if (rulesOfCourse) rulesOfCourse.push(parsed.data);
      else byCourse.set(courseId, [parsed.data]);
    }
  }
  return byCourse;
}

/**
 * The association rule to offer after a purchase: its antecedent holds the purchased course and
 * only courses the follower owns, its consequent is on sale and not owned, and it meets the
 * thresholds. The highest confidence wins, then lift, then support; ties go to the smaller course id
 * so a rescan picks the same offer.
 *
 * @example
 * pickCrossSell(rules, { purchasedCourseId: 'a', ownedCourseIds: new Set(['a']) }, { minConfidence: 0.2, minLift: 1, isOnSale: () => true });
 * // { antecedent: ['a'], consequent: 'b', support: 0.1, confidence: 0.6, lift: 2.4 }
 */
export function pickCrossSell(
  rules: readonly AssociationRule[],
  occasion: { purchasedCourseId: string; ownedCourseIds: ReadonlySet<string> },
  options: { minConfidence: number; minLift: number; isOnSale: (courseId: string) => boolean },
): AssociationRule | null {
  let best: AssociationRule | null = null;
  for (const rule of rules) {
    const applies =
      rule.antecedent.includes(occasion.purchasedCourseId) &&
      rule.antecedent.every((id) => occasion.ownedCourseIds.has(id)) &&
      !occasion.ownedCourseIds.has(rule.consequent) &&
      options.isOnSale(rule.consequent) &&
      rule.confidence >= options.minConfidence &&
      rule.lift >= options.minLift;
    if (applies && (!best || ranksAbove(rule, best))) best = rule;
  }
  return best;
}

function ranksAbove(a: AssociationRule, b: AssociationRule): boolean {
  if (a.confidence !== b.confidence) return a.confidence > b.confidence;
  if (a.lift !== b.lift) return a.lift > b.lift;
  if (a.support !== b.support) return a.support > b.support;
  return a.consequent < b.consequent;
}
