/** The shapes the campaigns API answers with (adapters/http/routes/broadcasts.ts, experiments.ts, retargeting-rules.ts). */
export interface Variant { key: string; weight?: number; text: { 'zh-CN'?: string; en?: string }; courseId?: string; pick?: 'recommended' | 'cross_sell' | 'next_in_path' }

export interface Progress {
  total: number; queued: number; sending: number; sent: number; delivered: number; failed: number; blocked: number; cancelled: number;
  skipped: Record<string, number> & { total: number };
  held: { quiet_hours: number; rate_limited: number; retry: number };
}

/** How a broadcast is stored: a time in the creator's zone is kept as the instant it names (`at`). */
export interface Broadcast {
  id: string; name: string; status: 'scheduled' | 'sending' | 'paused' | 'cancelled' | 'completed';
  segment: Record<string, unknown>; variants: Variant[]; allocation: 'ab' | 'bandit';
  sendMode: 'now' | 'at' | 'follower_local' | 'best_time'; sendAt: string | null; localDate: string | null; localTime: string | null;
  priority?: number; audienceSize: number | null; createdBy: string; createdAt: string; progress?: Progress;
}

export interface VariantResult {
  variant: string; sent: number; conversions: number; conversionRate: number; credibleInterval: [number, number]; probabilityBest: number;
  versusControl: { z: number; pValue: number; isSignificant: boolean } | null;
}
/** Sends and conversions of one variant and the course its card showed (`pick`: how that course was chosen). */
export interface PickResult {
  variant: string; courseId: string | null; pick: 'fixed' | 'recommended' | 'cross_sell' | 'next_in_path' | null; sent: number; conversions: number; rate: number;
  titleZh: string | null; titleEn: string | null;
}
export interface Incremental {
  sent: { members: number; buyers: number; rate: number };
  heldOut: { members: number; buyers: number; rate: number };
  lift: { absolute: number; interval: [number, number] } | null;
  incrementalBuyers: { estimate: number; interval: [number, number] } | null;
  incrementalRevenue: Array<{ currency: string; estimateMinor: number; intervalMinor: [number, number] }>;
}
export interface Results { allocation: 'ab' | 'bandit'; variants: VariantResult[]; picks?: PickResult[]; incremental?: Incremental | null }

/** The triggers core/campaigns/campaign-types.ts accepts, in the order the form offers them. */
export const RETARGETING_TRIGGERS = ['viewed_not_bought', 'abandoned_checkout', 'dormant', 'new_course_match', 'cross_sell', 'completed_course', 'stalled_learning'] as const;
export type Trigger = (typeof RETARGETING_TRIGGERS)[number];
export type RuleParamKey = 'hours' | 'days' | 'minSupport' | 'minConfidence' | 'minLift';

export interface RetargetingRule {
  id: string; name: string; trigger: Trigger; params: Partial<Record<RuleParamKey, number>>; variants: Variant[]; allocation: 'ab' | 'bandit';
  delayMinutes: number; maxPerFollower: number; isEnabled: boolean; conversionGoal: 'click' | 'purchase'; attributionHours: number; holdoutPercent?: number;
}

/**
 * A variant's text in the console's language, falling back to the other one.
 *
 * @example
 * variantText({ key: 'A', text: { en: 'Hi' } }, 'zh-CN'); // 'Hi'
 */
export const variantText = (v: Variant, lang: 'zh-CN' | 'en'): string =>
  (lang === 'zh-CN' ? v.text['zh-CN'] ?? v.text.en : v.text.en ?? v.text['zh-CN']) ?? '';
