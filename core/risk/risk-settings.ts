import { z } from 'zod';

const weight = z.number().int().min(0).max(100);
const positive = z.number().int().min(1).max(1_000_000);

/**
 * The thresholds admins tune (`GET/PUT /api/risk/settings`, stored under `risk_settings`). Each
 * rule adds its `weight` to the score when it fires; a score of `flagScore` or more flags the
 * follower for review. A weight of 0 turns a rule off.
 */
export const riskSettingsSchema = z.object({
  flagScore: z.number().int().min(1).max(100),
  /** Any events by one follower within the window. */
  eventBurst: z.object({ count: positive, windowSeconds: positive, weight }),
  /** Chat messages by one follower within the window. */
  messageBurst: z.object({ count: positive, windowSeconds: positive, weight }),
  /** The same text (commands and texts shorter than `minLength` aside) from this many followers within the window. */
  duplicateText: z.object({ accounts: z.number().int().min(2).max(10_000), windowSeconds: positive, minLength: positive, weight }),
  /** A follower younger than `accountAgeHours` who views or clicks this many different courses within the window. */
  newAccountClicks: z.object({ courses: positive, windowSeconds: positive, accountAgeHours: positive, weight }),
  /** This many followers behind one mini-program unionid or one device. */
  linkedAccounts: z.object({ accounts: z.number().int().min(2).max(10_000), weight }),
  /** This many refunds within the window (pay, then refund, again and again). */
  payRefundCycles: z.object({ refunds: positive, windowDays: positive, weight }),
  /** Payments that failed verification (wrong amount, unknown invoice, another payer) within the window. */
  paymentFailures: z.object({ failures: positive, windowHours: positive, weight }),
  /** The learned score: robust z of the follower's features against the baseline audience. */
  anomaly: z.object({ zThreshold: z.number().min(1).max(1000), weight }),
  /**
   * Referral farming: this many accounts referred by one follower within the window that did
   * nothing after following (at most `idleEvents` events each); a referral refused because the two
   * accounts share a device or unionid raises it at once.
   */
  referralFarming: z.object({ idleReferred: positive, windowHours: positive, idleEvents: positive, weight }),
  /** One coupon redeemed by this many accounts behind one device or unionid. */
  couponLinkedAccounts: z.object({ accounts: z.number().int().min(2).max(10_000), weight }),
  /** Chat throttle: more messages than this within the window get one notice, then silence until it ends. */
  chatThrottle: z.object({ messages: positive, windowSeconds: positive }),
});
export type RiskSettings = z.output<typeof riskSettingsSchema>;

export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  flagScore: 50,
  eventBurst: { count: 40, windowSeconds: 60, weight: 60 },
  messageBurst: { count: 15, windowSeconds: 60, weight: 50 },
  duplicateText: { accounts: 5, windowSeconds: 600, minLength: 4, weight: 60 },
  newAccountClicks: { courses: 6, windowSeconds: 60, accountAgeHours: 24, weight: 60 },
  linkedAccounts: { accounts: 4, weight: 60 },
  payRefundCycles: { refunds: 2, windowDays: 30, weight: 60 },
  paymentFailures: { failures: 3, windowHours: 24, weight: 60 },
  anomaly: { zThreshold: 8, weight: 50 },
  referralFarming: { idleReferred: 5, windowHours: 24, idleEvents: 2, weight: 60 },
  couponLinkedAccounts: { accounts: 2, weight: 60 },
  chatThrottle: { messages: 8, windowSeconds: 30 },
};

/** The settings key in the `settings` table. */
export const RISK_SETTINGS_KEY = 'risk_settings';

/** Stored settings over the defaults: a document written before a field existed keeps working. */
export function riskSettingsOf(stored: unknown): RiskSettings {
  if (!stored || typeof stored !== 'object') return DEFAULT_RISK_SETTINGS;
  const merged: Record<string, unknown> = { ...DEFAULT_RISK_SETTINGS };
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    const base = merged[key];
    if (base === undefined) continue;
    merged[key] = base && typeof base === 'object' && value && typeof value === 'object' ? { ...base, ...value } : value;
  }
  const parsed = riskSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_RISK_SETTINGS;
}
