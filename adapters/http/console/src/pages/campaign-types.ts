/** The shapes the campaigns API answers with (adapters/http/routes/broadcasts.ts, experiments.ts, retargeting-rules.ts). */
export interface Variant { key: string; weight?: number; text: { 'zh-CN'?: string; en?: string }; courseId?: string }

export interface Progress {
  total: number; queued: number; sending: number; sent: number; delivered: number; failed: number; blocked: number; cancelled: number;
  skipped: Record<string, number> & { total: number };
  held: { quiet_hours: number; rate_limited: number; retry: number };
}

export interface Broadcast {
  id: string; name: string; status: 'scheduled' | 'sending' | 'paused' | 'cancelled' | 'completed';
  segment: Record<string, unknown>; variants: Variant[]; allocation: 'ab' | 'bandit'; sendMode: string; sendAt: string | null;
  audienceSize: number | null; createdBy: string; createdAt: string; progress?: Progress;
}

export interface VariantResult {
  variant: string; sent: number; conversions: number; conversionRate: number; credibleInterval: [number, number]; probabilityBest: number;
  versusControl: { z: number; pValue: number; isSignificant: boolean } | null;
}
export interface Results { allocation: 'ab' | 'bandit'; variants: VariantResult[] }

export interface RetargetingRule {
  id: string; name: string; trigger: string; params: Record<string, number>; variants: Variant[]; allocation: 'ab' | 'bandit';
  delayMinutes: number; maxPerFollower: number; isEnabled: boolean; conversionGoal: 'click' | 'purchase'; attributionHours: number;
}
