import type { Locale } from '../followers/follower.js';

/**
 * Every signal the scorer can raise, each a rule with admin-tunable thresholds
 * ({@link RiskSettings}), plus `anomaly` (the learned score). `referral_farming`: a referrer whose
 * referred accounts stay idle, or who tried to refer an account sharing their device or unionid;
 * `coupon_linked_accounts`: one coupon redeemed by several accounts behind one device or unionid.
 */
export const RISK_SIGNALS = [
  'event_burst', 'message_burst', 'duplicate_text', 'new_account_clicks', 'linked_accounts', 'pay_refund_cycles', 'payment_failures', 'anomaly', 'referral_farming', 'coupon_linked_accounts',
] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];

/** Why a follower was scored: the signal and the numbers it saw (shown in words by the console). */
export interface RiskReason {
  code: RiskSignal;
  params: Record<string, number | string>;
}

/**
 * - `flagged`: the scorer asks for review; the follower is left out of broadcasts, experiments and
 *   the bandit's statistics, and their checkouts are held;
 * - `blocked`: an admin confirmed; no replies, no sends;
 * - `cleared`: an admin cleared; not flagged again for the reasons already reviewed.
 */
export const RISK_STATUSES = ['flagged', 'blocked', 'cleared'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

/** One decision about one follower, with its reasons; the scorer's or an admin's. */
export interface RiskDecision {
  followerId: string;
  status: RiskStatus;
  score: number;
  reasons: RiskReason[];
  actor: string;
  at: Date;
}

/** A follower in the review queue. */
export interface RiskCase {
  followerId: string;
  displayName: string | null;
  locale: Locale;
  status: RiskStatus;
  score: number;
  reasons: RiskReason[];
  flaggedAt: Date;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  heldOrders: number;
}

/**
 * Where risk decisions are kept (table `follower_risk`, history in `risk_decisions`, held
 * checkouts in `risk_order_holds`).
 *
 * @example
 * await store.saveDecisions([{ followerId, status: 'flagged', score: 60, reasons, actor: 'risk-scorer', at }]);
 */
export interface RiskStore {
  /** Upserts each follower's row and appends the decision to the history, in one statement per batch. */
  saveDecisions(decisions: readonly RiskDecision[]): Promise<void>;
  /** Every follower with a row, for the scorer's in-memory view at start and on refresh. */
  loadStatuses(): Promise<Array<{ followerId: string; status: RiskStatus; reasons: RiskReason[] }>>;
  listCases(query: { status?: RiskStatus; limit: number }): Promise<RiskCase[]>;
  findCase(followerId: string): Promise<RiskCase | null>;
  /** Records a checkout held for review (idempotent per order). */
  holdOrder(orderId: string, followerId: string, at: Date): Promise<void>;
  /** Ends the follower's open holds: `released` (cleared) or `cancelled` (the pending orders are cancelled too). */
  settleHolds(followerId: string, outcome: 'released' | 'cancelled', at: Date): Promise<number>;
}

/**
 * What the event path tells the scorer. Called synchronously for every recorded event; must stay
 * in memory (no I/O), the scorer writes its decisions in the background.
 *
 * @example
 * deps.risk?.observe({ followerId, kind: 'click', courseId, occurredAt: new Date() });
 */
export interface RiskObserver {
  observe(event: ObservedEvent): void;
}

export interface ObservedEvent {
  followerId: string;
  kind: string;
  courseId: string | null;
  /** A message's text. */
  text?: string;
  occurredAt: Date;
  /** When the follower was created, when the recording knows it. */
  followerCreatedAt?: Date;
}
