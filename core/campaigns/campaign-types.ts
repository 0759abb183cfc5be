import { z } from 'zod';
import type { Locale } from '../followers/follower.js';
import { LEGACY_LIFECYCLE_NAMES, LIFECYCLE_STAGES } from '../followers/lifecycle.js';
import { CHURN_RISK_LEVELS } from '../followers/propensity.js';
import type { GuardedFollower, SkipReason } from '../guards/index.js';
import type { CrossSellReason } from './cross-sell.js';

const localizedText = z
  .object({ 'zh-CN': z.string().trim().min(1).max(3000).optional(), en: z.string().trim().min(1).max(3000).optional() })
  .refine((t) => t['zh-CN'] !== undefined || t.en !== undefined, { message: 'give the text in zh-CN, en or both' });

/**
 * How a variant's course is chosen per follower at send time, instead of one fixed `courseId`:
 * `recommended` is the follower's own top pick from the recommender (on sale, not owned, in their
 * price band when the persona has one); `cross_sell` is the consequent of the best association rule
 * for what the follower bought, or their recommended pick when no rule applies; `next_in_path` is the
 * course the creator set to come after one the follower finished or owns (`nextCourseId`), or their
 * recommended pick when there is none.
 */
export const COURSE_PICKS = ['recommended', 'cross_sell', 'next_in_path'] as const;
export type CoursePick = (typeof COURSE_PICKS)[number];
/** How the course a sent message showed was chosen (`fixed`: the variant's or the occasion's course). */
export type PickKind = 'fixed' | CoursePick;

/** One version of a message: text per language and, optionally, a course card (one fixed course, or each follower's own pick). */
export const variantSchema = z
  .object({
    key: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, 'use 1-16 letters, digits, - or _'),
    weight: z.number().min(0).max(1000).default(1),
    text: localizedText,
    courseId: z.uuid().optional(),
    pick: z.enum(COURSE_PICKS).optional(),
    /**
     * A coupon the message offers: the card shows the price after it (for each follower, when they
     * may still use it) and its Buy button redeems it; `{coupon}` in the text is the code.
     */
    couponCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9_-]{3,32}$/, 'use 3-32 letters, digits, - or _')
      .optional()
      .meta({ description: 'A coupon the message offers: the card shows the price after it and its Buy button redeems it' }),
  })
  .refine((v) => v.courseId === undefined || v.pick === undefined, { message: 'give either courseId or pick, not both', path: ['pick'] });
export type MessageVariant = z.output<typeof variantSchema>;

export const variantsSchema = z
  .array(variantSchema)
  .min(1)
  .max(5, 'a message has at most 5 variants')
  .refine((vs) => new Set(vs.map((v) => v.key)).size === vs.length, { message: 'variant keys must be unique' });

/** A lifecycle stage (core/followers/lifecycle.ts); stored segments' legacy names (`active`) are read as today's stage. */
const segmentLifecycleStage = z.union([z.enum(LIFECYCLE_STAGES), z.literal('active').transform(() => LEGACY_LIFECYCLE_NAMES.active)]);

/** Who a broadcast goes to. Every condition given must hold; an empty segment means every reachable follower. */
export const segmentSchema = z
  .object({
    platforms: z.array(z.enum(['telegram', 'wechat'])).min(1).optional(),
    /** Followers interested in any of these tags, by the persona's rule (core/followers/interest.ts). */
    interestTags: z.array(z.string().trim().min(1).max(64)).min(1).max(50).optional(),
    /** Followers whose persona is at one of these lifecycle stages. */
    lifecycle: z.array(segmentLifecycleStage).min(1).optional(),
    ownsCourseId: z.uuid().optional(),
    notOwnsCourseId: z.uuid().optional(),
    activeWithinDays: z.number().int().min(1).max(3650).optional(),
    inactiveForDays: z.number().int().min(1).max(3650).optional(),
    locales: z.array(z.enum(['zh-CN', 'en'])).min(1).optional(),
    /** Followers the last scoring run gives at least this probability (0–1) of buying within its horizon (core/followers/propensity.ts). */
    minPurchasePropensity: z.number().min(0).max(1).optional(),
    /** Followers in one of these churn-risk bands (`'high'` or `['medium', 'high']`). */
    churnRisk: z
      .union([z.enum(CHURN_RISK_LEVELS), z.array(z.enum(CHURN_RISK_LEVELS)).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional(),
    /**
     * Only the N % (1–100) of the rest of the segment's reachable audience most likely to buy, by
     * purchase propensity; followers not scored yet are never among them.
     */
    topPropensityPercent: z.number().int().min(1).max(100).optional(),
  })
  .strict();
export type Segment = z.output<typeof segmentSchema>;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

/** When a broadcast goes out: now, at one instant (ISO with offset, or a wall time in the creator's zone), or at a wall time in each follower's zone. */
export const sendTimeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('now') }),
  z.object({ mode: z.literal('at'), at: z.iso.datetime({ offset: true }) }),
  z.object({ mode: z.literal('creator_local'), date: localDate, time: localTime, timeZone: z.string().min(1).max(64) }),
  z.object({ mode: z.literal('follower_local'), date: localDate, time: localTime }),
  z.object({ mode: z.literal('best_time') }),
]);
export type SendTime = z.output<typeof sendTimeSchema>;

export const broadcastInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  segment: segmentSchema.default({}),
  variants: variantsSchema,
  allocation: z.enum(['ab', 'bandit']).default('ab'),
  sendTime: sendTimeSchema.default({ mode: 'now' }),
  attributionHours: z.number().int().min(1).max(720).default(72),
  /**
   * Higher numbers win: a follower sent a broadcast of a higher priority today (their local day),
   * or due to be sent one today, is not sent this one (skipped as `outranked`). Equal priorities
   * do not exclude each other; the frequency caps still apply to all.
   */
  priority: z.number().int().min(-100).max(100).default(0),
  /**
   * Percent of the audience held out of this broadcast (0–50, a stable hash of broadcast and
   * follower): their purchases are the baseline the results measure incremental conversions against.
   */
  holdoutPercent: z.number().int().min(0).max(50).default(0),
});
export type BroadcastInput = z.input<typeof broadcastInputSchema>;

export type CampaignStatus = 'scheduled' | 'sending' | 'paused' | 'cancelled' | 'completed';

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  segment: Segment;
  variants: MessageVariant[];
  allocation: 'ab' | 'bandit';
  sendMode: 'now' | 'at' | 'follower_local' | 'best_time';
  sendAt: Date | null;
  localDate: string | null;
  localTime: string | null;
  attributionHours: number;
  /** Higher numbers win the follower's day; see broadcastInputSchema. */
  priority: number;
  /** Percent of the audience held out of this broadcast; see broadcastInputSchema. */
  holdoutPercent: number;
  audienceSize: number | null;
  /** The account that created it, or `'admin'` for the admin API token. */
  createdBy: string;
  createdAt: Date;
  enqueuedAt: Date | null;
  completedAt: Date | null;
}

/** What a new campaign is created with; the rest (id, status, counts, times) the store fills in. */
export type NewCampaign = Pick<
  Campaign,
  'name' | 'segment' | 'variants' | 'allocation' | 'sendMode' | 'sendAt' | 'localDate' | 'localTime' | 'attributionHours' | 'priority' | 'holdoutPercent' | 'createdBy'
>;

/** Why an audience member was not put in a broadcast's outbox: its own holdout, or the global control group. */
export type HoldoutReason = 'holdout' | 'control_group';

/** One audience member kept out of a broadcast, and when they would have been sent it. */
export interface HoldoutEntry {
  campaignId: string;
  followerId: string;
  reason: HoldoutReason;
  heldAt: Date;
}

/**
 * Why a follower a segment selects cannot be sent marketing now, in the order they are checked:
 * opted out, no marketing consent, unreachable (blocked the bot, or gone), no chat on a platform we
 * send to (Telegram or WeChat; a mini-program login alone is not a chat).
 */
/** `risk_review`: flagged by the risk scorer or blocked by an admin (core/risk). */
export const AUDIENCE_EXCLUSIONS = ['opted_out', 'no_consent', 'unreachable', 'no_chat', 'risk_review'] as const;
export type AudienceExclusion = (typeof AUDIENCE_EXCLUSIONS)[number];
export type AudienceExclusions = Record<AudienceExclusion, number>;

/** Sent and converted messages of one variant and one picked course (null: no course on the card). */
export interface PickStats {
  variant: string;
  courseId: string | null;
  pick: PickKind | null;
  sent: number;
  conversions: number;
}

/** A follower in a planned audience. */
export interface AudienceMember {
  followerId: string;
  locale: Locale;
  timeZone: string;
  platform: 'telegram' | 'wechat';
}

/**
 * `completed_course`: finished every lesson of a course → the course that best follows it (cross-sell
 * from the completed course). `stalled_learning`: no lesson opened, completed or checked in for
 * `days` in a course they have not finished → a nudge back to that course.
 */
export const RETARGETING_TRIGGERS = ['viewed_not_bought', 'abandoned_checkout', 'dormant', 'new_course_match', 'cross_sell', 'completed_course', 'stalled_learning'] as const;
export type RetargetingTrigger = (typeof RETARGETING_TRIGGERS)[number];

export const retargetingRuleInputSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]{1,64}$/, 'use 1-64 lowercase letters, digits or -'),
  trigger: z.enum(RETARGETING_TRIGGERS),
  params: z
    .object({
      hours: z.number().int().min(1).max(24 * 90).optional(),
      days: z.number().int().min(1).max(3650).optional(),
      /** Cross-sell by co-purchase counts (the fallback while no recommender model is trained): at least this many followers bought both. */
      minSupport: z.number().int().min(1).max(1000).optional(),
      /** Cross-sell by association rules: the least confidence (0-1) and lift a rule needs; defaults in CROSS_SELL_DEFAULTS. */
      minConfidence: z.number().min(0).max(1).optional(),
      minLift: z.number().min(0).max(1000).optional(),
    })
    .strict()
    .default({}),
  variants: variantsSchema,
  allocation: z.enum(['ab', 'bandit']).default('bandit'),
  delayMinutes: z.number().int().min(0).max(60 * 24 * 30).default(0),
  maxPerFollower: z.number().int().min(1).max(100).default(1),
  isEnabled: z.boolean().default(true),
  conversionGoal: z.enum(['click', 'purchase']).default('purchase'),
  attributionHours: z.number().int().min(1).max(720).default(72),
  /** Percent of the occasions found (0-50, a stable hash of rule and follower) held out, to measure what the rule adds. */
  holdoutPercent: z.number().int().min(0).max(50).default(0),
});
export type RetargetingRuleInput = z.output<typeof retargetingRuleInputSchema>;

export interface RetargetingRule extends RetargetingRuleInput {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One message to enqueue. `variant` null means "choose at send time" (bandits). */
export interface OutboxEntry {
  followerId: string;
  source: 'broadcast' | 'retargeting';
  campaignId: string;
  step: string;
  variant: string | null;
  courseId: string | null;
  notBefore: Date;
  /** Why the message is sent (cross-sell), for its template. */
  reason?: CrossSellReason | null;
}

/** A message the dispatcher has leased, with what the guards need, read at claim time. */
export interface ClaimedMessage {
  id: number;
  source: 'broadcast' | 'retargeting';
  campaignId: string;
  step: string;
  variant: string | null;
  courseId: string | null;
  attempts: number;
  /** The previous lease ran out while `sending`: the process holding it died, maybe mid-send. */
  isRecovered: boolean;
  follower: GuardedFollower & { locale: Locale };
  /** The platform and chat to send to; null when the follower has no sendable identity. */
  recipient: { platform: 'telegram' | 'wechat'; chatId: string } | null;
  /** Why the message is sent (cross-sell), for its template. */
  reason?: CrossSellReason | null;
  /** A broadcast of higher priority took (or is due to take) this follower's day: skip this one. */
  isOutranked?: boolean;
}

/**
 * Why a message was not sent: a guard's reason, `outranked` by a higher-priority broadcast,
 * `no_offer` (no course left to pick for the follower) or `no_signal` (an own pick, but nothing known
 * about the follower to pick by: only what is popular for everyone).
 */
export type OutboxSkipReason = SkipReason | 'outranked' | 'no_offer' | 'no_signal';

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'blocked' | 'skipped' | 'cancelled';

export interface CampaignProgress {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  /** Accepted by the platform with a message id (Telegram has no read receipts for bots). */
  delivered: number;
  failed: number;
  blocked: number;
  cancelled: number;
  skipped: Record<OutboxSkipReason, number> & { total: number };
  held: { quiet_hours: number; rate_limited: number; retry: number };
}
