import type { CapClaim, GuardSettings } from '../guards/index.js';
import type { Messenger, Recipient, SendPurpose, SendResult } from '../ports/messenger.js';
import type { Reply } from '../dialog/reply.js';
import type { VariantStats } from '../experiments/index.js';
import type { ArmOutcome } from './incrementality.js';
import type { Platform } from '../events/event-types.js';
import type {
  AudienceMember,
  Campaign,
  CampaignProgress,
  CampaignStatus,
  ClaimedMessage,
  AudienceExclusions,
  MessageVariant,
  NewCampaign,
  OutboxEntry,
  OutboxSkipReason,
  PickKind,
  PickStats,
  RetargetingRule,
  Segment,
  HoldoutEntry,
  HoldoutReason,
} from './campaign-types.js';
import type { CrossSellReason } from './cross-sell.js';

/**
 * Finds the followers a segment selects who can be sent marketing now: consenting, not opted out,
 * reachable, with a chat on a platform we send to. Keyset paging by follower id keeps planning
 * 100,000 followers cheap.
 *
 * @example
 * const size = await audience.count(segment, now);
 * const page = await audience.page(segment, now, { afterFollowerId: null, limit: 5000 });
 * const { opted_out, no_consent } = await audience.exclusions(segment, now);
 */
export interface AudienceRepository {
  count(segment: Segment, now: Date): Promise<number>;
  /** Followers the segment selects who cannot be sent to now, each counted once under the first reason that holds (in AUDIENCE_EXCLUSIONS order). */
  exclusions(segment: Segment, now: Date): Promise<AudienceExclusions>;
  page(segment: Segment, now: Date, options: { afterFollowerId: string | null; limit: number; random?: boolean }): Promise<AudienceMember[]>;
  /** Events since `since` by local hour (0–23, in each follower's zone): per follower given, and over everybody. */
  activeHours(followerIds: readonly string[], since: Date): Promise<{ byFollower: Map<string, number[]>; population: number[] }>;
}

/**
 * Broadcast campaigns and their status transitions.
 *
 * @example
 * const campaign = await campaigns.create(newCampaign);
 * await campaigns.transition(campaign.id, ['sending'], 'paused');
 */
export interface CampaignRepository {
  create(campaign: NewCampaign): Promise<Campaign>;
  findById(id: string): Promise<Campaign | null>;
  /** Moves the status if it is one of `from`; returns the campaign after, or null when it was not in `from`. */
  transition(id: string, from: readonly CampaignStatus[], to: CampaignStatus): Promise<Campaign | null>;
  markEnqueued(id: string, audienceSize: number, at: Date): Promise<void>;
  /** Campaigns created but not yet fully enqueued (a crash during planning), oldest first. */
  listUnenqueued(limit: number): Promise<Campaign[]>;
  /** Marks sending campaigns with nothing left queued or in flight as completed; returns their ids. */
  completeFinished(at: Date): Promise<string[]>;
  progress(id: string): Promise<CampaignProgress>;
  /** Cancels every still-queued message of a campaign; returns how many. */
  cancelQueued(id: string, at: Date): Promise<number>;
}

/**
 * Retargeting rules and the followers they currently match.
 *
 * @example
 * for (const rule of await rules.listEnabled()) await rules.findCandidates(rule, now, 1000);
 */
export interface RetargetingRuleRepository {
  list(): Promise<RetargetingRule[]>;
  listEnabled(): Promise<RetargetingRule[]>;
  findById(id: string): Promise<RetargetingRule | null>;
  /**
   * Followers the rule matches now, with the course the message is about and a step key that
   * names the occasion (so the same occasion is never messaged twice), excluding followers who
   * already got `maxPerFollower` messages from this rule and courses they own. Cross-sell
   * candidates carry the reason for the offer (association rule or, without a trained model,
   * co-purchase counts).
   */
  findCandidates(rule: RetargetingRule, now: Date, limit: number): Promise<Array<{ followerId: string; courseId: string; step: string; reason?: CrossSellReason }>>;
  /**
   * Records occasions held out of the rule (control group or the rule's holdout) with when their
   * message would have gone; each (rule, follower, step) once, so rescans find them no more.
   */
  holdOut(entries: ReadonlyArray<{ ruleId: string; followerId: string; step: string; reason: HoldoutReason; heldAt: Date }>): Promise<number>;
}

/**
 * The transactional outbox.
 *
 * @example
 * await outbox.enqueue(entries); // duplicates of (follower, campaign, step) are ignored
 * const batch = await outbox.claimDue(now, 50, 60_000);
 */
export interface OutboxRepository {
  /** Inserts entries, skipping any (follower, campaign, step) already present; returns how many were new. */
  enqueue(entries: readonly OutboxEntry[]): Promise<number>;
  /** Records audience members kept out of a broadcast (holdout, control group), once each; returns how many were new. */
  holdOut(entries: readonly HoldoutEntry[]): Promise<number>;
  /**
   * Leases up to `limit` due messages (queued with `not_before <= now`, or `sending` whose lease
   * expired after a crash) of campaigns that are not paused, with `FOR UPDATE SKIP LOCKED` so
   * dispatchers in several processes never take the same row. With `platforms`, only messages whose
   * recipient is on one of them (or who has no chat at all, to be skipped as unreachable): a
   * process takes only what it can send.
   */
  claimDue(now: Date, limit: number, leaseMs: number, platforms?: readonly Platform[]): Promise<ClaimedMessage[]>;
  /**
   * Marks many sent messages in one statement (the dispatcher flushes a batch's sends together).
   * `at` is when the platform accepted each message; `shownCourseId` and `pick` say which course
   * its card showed and how it was chosen.
   */
  markSentMany(sent: ReadonlyArray<{ id: number; providerMessageIds: string[]; variant: string | null; at: Date; shownCourseId?: string | null; pick?: PickKind | null }>): Promise<void>;
  markSkipped(id: number, reason: OutboxSkipReason, at: Date): Promise<void>;
  markBlocked(id: number, reason: string, at: Date): Promise<void>;
  markFailed(id: number, reason: string, at: Date): Promise<void>;
  /** Puts a leased message back in the queue until `until` (quiet hours, rate limits, retries). */
  hold(id: number, until: Date, reason: 'quiet_hours' | 'rate_limited' | 'retry', variant: string | null): Promise<void>;
}

/** Where message content and experiment statistics come from at send time. */
export interface CampaignContentRepository {
  /** Variants and allocation of broadcasts or retargeting rules by id. */
  definitions(source: 'broadcast' | 'retargeting', ids: readonly string[]): Promise<Map<string, { variants: MessageVariant[]; allocation: 'ab' | 'bandit' }>>;
  /**
   * Sent and converted counts per variant, for bandits and results. A conversion (a click or
   * purchase) counts for the last marketing message the follower was sent before it, of any
   * campaign, whose attribution window it falls in: one conversion, one message.
   */
  variantStats(source: 'broadcast' | 'retargeting', campaignId: string): Promise<VariantStats[]>;
  /** The same counts per variant and picked course (last-touch, as variantStats). */
  pickStats(source: 'broadcast' | 'retargeting', campaignId: string): Promise<PickStats[]>;
  /**
   * A broadcast's audience in two arms, each member over their own attribution window (from the
   * message's acceptance, or its planned time; for held-out members, when they would have been
   * sent): the members put in its outbox, and those held out of it (holdout and control group).
   */
  /** Followers sent the campaign and followers held out of it, with their purchases within its attribution window (broadcasts and retargeting rules). */
  arms(source: 'broadcast' | 'retargeting', campaignId: string): Promise<{ sent: ArmOutcome; heldOut: ArmOutcome }>;
}

/** Admin-tunable guard settings, stored in the database. */
export interface GuardSettingsRepository {
  get(): Promise<GuardSettings>;
  /** Sets caps and quiet hours, and the control group's share when given (unchanged otherwise). */
  update(settings: Omit<GuardSettings, 'controlPercent'> & { controlPercent?: number }): Promise<GuardSettings>;
}

/**
 * Frequency caps claimed for a whole lease batch at once (one round trip), kept in the database so
 * every process sees the same counts. For each message: both its daily and weekly slot or
 * neither, a retry keeps its slots, and the first message to claim a slot wins — in the order of
 * `claims`.
 *
 * @example
 * const granted = await caps.claimMany([{ outboxId: 7, followerId, dayKey: '2026-11-28', weekKey: '2026-W48', dailyCap: 2, weeklyCap: 5 }]);
 * if (granted.has(7)) await send();
 */
export interface CapBatchLedger {
  /** The outbox ids of `claims` that hold their slots now. */
  claimMany(claims: readonly CapClaim[]): Promise<Set<number>>;
}

/** One message of a batch for {@link BatchMessenger.sendBatch}. */
export interface KeyedSend {
  to: Recipient;
  replies: readonly Reply[];
  /** Distinct within a batch. */
  idempotencyKey: string;
}

/**
 * A messenger that sends a lease batch of the outbox together, so its bookkeeping costs a few
 * round trips per batch instead of a few per message. Each message behaves as `send` with its
 * idempotency key would: sent once per key, a used key answers its first outcome.
 *
 * @example
 * const results = await telegramMessenger.sendBatch([{ to, replies, idempotencyKey: 'outbox:7' }], { purpose: 'marketing', concurrency: 16 });
 */
export interface BatchMessenger extends Messenger {
  /** One result per send, in order; up to `concurrency` messages in flight at once. */
  sendBatch(sends: readonly KeyedSend[], options: { purpose: SendPurpose; concurrency: number }): Promise<SendResult[]>;
}
