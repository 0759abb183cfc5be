import { MicroBatcher } from '../events/event-batcher.js';
import type { Clock, Logger } from '../ports/index.js';
import { anomalyOf, type AnomalyBaseline } from './anomaly-model.js';
import { FollowerRiskState } from './follower-risk-state.js';
import { DEFAULT_RISK_SETTINGS, type RiskSettings } from './risk-settings.js';
import type { ObservedEvent, RiskDecision, RiskObserver, RiskReason, RiskSignal, RiskStatus, RiskStore } from './risk-types.js';

/** Who the scorer's own decisions are recorded as. */
export const RISK_SCORER_ACTOR = 'risk-scorer';

const MINUTE_MS = 60_000;
/** Followers idle this long are forgotten (their stored decision stays). */
const IDLE_FORGET_MS = 2 * 86_400_000;
const MAX_TEXTS = 50_000;

/** Code points in `text`, counted up to `atLeast` (enough to compare with a minimum length). */
function codePoints(text: string, atLeast: number): number {
  if (text.length >= 2 * atLeast) return text.length;
  let n = 0;
  for (const _ of text) if (++n >= atLeast) break;
  return n;
}

export interface RiskMonitorDeps {
  clock: Clock;
  logger: Logger;
  /** Where decisions go, in the background; without it the monitor only decides in memory (benchmarks). */
  store?: RiskStore;
  settings?: RiskSettings;
  baseline?: AnomalyBaseline;
}

/** What the chat should do with a follower's turn. */
export type ChatAdmission = 'answer' | 'notice' | 'silence';

/**
 * The risk scorer inside the event path: every recorded event updates the follower's counters in
 * memory and re-checks the rules (thresholds from {@link RiskSettings}) and the learned anomaly
 * score; when a follower's score reaches `flagScore` the decision, with its reasons, is written in
 * the background in batches (no database round trip per event). It also answers the actions'
 * questions from memory: is this follower flagged or blocked, may their chat turn be answered.
 * Statuses decided elsewhere (an admin in another process) arrive with {@link refresh}.
 *
 * @example
 * const risk = new RiskMonitor({ clock, logger, store: new PgRiskStore(db) });
 * await risk.refresh();
 * risk.observe({ followerId, kind: 'click', courseId, occurredAt: new Date() });
 * risk.statusOf(followerId); // 'flagged' once a rule fired
 */
export class RiskMonitor implements RiskObserver {
  private settings: RiskSettings;
  private baseline: AnomalyBaseline | undefined;
  private readonly states = new Map<string, FollowerRiskState>();
  /** Stored statuses (and the reasons an admin already reviewed for `cleared`). */
  private readonly statuses = new Map<string, { status: RiskStatus; reviewed: Set<RiskSignal> }>();
  /** Normalised text → who sent it when, for identical texts across accounts. */
  private readonly texts = new Map<string, Array<{ atMs: number; followerId: string }>>();
  /** unionid or device → the followers behind it. */
  private readonly links = new Map<string, Set<string>>();
  /** Referrer → the followers attributed to them, when. */
  private readonly referred = new Map<string, Array<{ followerId: string; atMs: number }>>();
  /** Coupon → the followers whose paid orders redeemed it. */
  private readonly couponRedeemers = new Map<string, Set<string>>();
  private readonly writer: MicroBatcher<RiskDecision, undefined> | undefined;
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly deps: RiskMonitorDeps) {
    this.settings = deps.settings ?? DEFAULT_RISK_SETTINGS;
    this.baseline = deps.baseline;
    const store = deps.store;
    this.writer = store ? new MicroBatcher<RiskDecision, undefined>(async (decisions: RiskDecision[]) => {
      await store.saveDecisions(decisions);
      return decisions.map(() => undefined);
    }, { maxWaitMs: 20, maxSize: 200 }) : undefined;
  }

  get currentSettings(): RiskSettings {
    return this.settings;
  }

  useSettings(settings: RiskSettings): void {
    this.settings = settings;
  }

  useBaseline(baseline: AnomalyBaseline | undefined): void {
    this.baseline = baseline;
  }

  /** Reads every stored status (at start, then periodically: an admin may decide in another process). */
  async refresh(): Promise<void> {
    if (!this.deps.store) return;
    const rows = await this.deps.store.loadStatuses();
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.followerId);
      this.statuses.set(row.followerId, { status: row.status, reviewed: new Set(row.reasons.map((r) => r.code)) });
    }
    for (const id of this.statuses.keys()) if (!seen.has(id)) this.statuses.delete(id);
  }

  /** Waits for the decisions written so far. */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  observe(event: ObservedEvent): void {
    const atMs = event.occurredAt.getTime();
    const state = this.stateOf(event.followerId);
    if (event.followerCreatedAt) state.firstSeenMs = Math.min(state.firstSeenMs, event.followerCreatedAt.getTime());
    state.firstSeenMs = Math.min(state.firstSeenMs, atMs);
    state.lastActivityMs = Math.max(state.lastActivityMs, this.deps.clock.now().getTime());
    const s = this.settings;
    let raised = false;

    const inBurst = state.events.add(atMs, s.eventBurst.windowSeconds * 1000);
    state.peak('peakEventsPerMinute', state.events.countBetween(atMs - MINUTE_MS, atMs));
    if (inBurst >= s.eventBurst.count) raised = this.raise(state, 'event_burst', { count: inBurst, windowSeconds: s.eventBurst.windowSeconds }) || raised;

    if (event.kind === 'message') {
      const messages = state.messages.add(atMs, s.messageBurst.windowSeconds * 1000);
      state.peak('peakMessagesPerMinute', state.messages.countBetween(atMs - MINUTE_MS, atMs));
      if (messages >= s.messageBurst.count) raised = this.raise(state, 'message_burst', { count: messages, windowSeconds: s.messageBurst.windowSeconds }) || raised;
      if (event.text) raised = this.observeText(event.followerId, event.text, atMs) || raised;
    }
    if ((event.kind === 'view' || event.kind === 'click') && event.courseId) {
      const courses = state.courses.add(atMs, event.courseId, s.newAccountClicks.windowSeconds * 1000);
      state.peak('peakCoursesPerMinute', courses);
      const ageHours = (atMs - state.firstSeenMs) / 3_600_000;
      if (courses >= s.newAccountClicks.courses && ageHours < s.newAccountClicks.accountAgeHours) {
        raised = this.raise(state, 'new_account_clicks', { courses, windowSeconds: s.newAccountClicks.windowSeconds, accountAgeHours: Math.round(ageHours * 10) / 10 }) || raised;
      }
    }
    if (event.kind === 'refund') {
      const windowMs = s.payRefundCycles.windowDays * 86_400_000;
      state.refunds.add(atMs, windowMs);
      const refunds = state.refunds.countBetween(atMs - windowMs, atMs);
      state.peak('refunds', refunds);
      if (refunds >= s.payRefundCycles.refunds) raised = this.raise(state, 'pay_refund_cycles', { refunds, windowDays: s.payRefundCycles.windowDays }) || raised;
    }
    raised = this.checkAnomaly(state) || raised;
    if (raised) this.decide(event.followerId, state);
  }

  /**
   * A payment for this follower failed verification (an amount that is not the order's, an invoice
   * we did not issue, someone else's order).
   */
  observePaymentFailure(followerId: string, reason: string, at: Date): void {
    const state = this.stateOf(followerId);
    const windowMs = this.settings.paymentFailures.windowHours * 3_600_000;
    state.paymentFailures.add(at.getTime(), windowMs);
    const failures = state.paymentFailures.countBetween(at.getTime() - windowMs, at.getTime());
    state.peak('paymentFailures', failures);
    let raised = false;
    if (failures >= this.settings.paymentFailures.failures) raised = this.raise(state, 'payment_failures', { failures, windowHours: this.settings.paymentFailures.windowHours, lastReason: reason });
    raised = this.checkAnomaly(state) || raised;
    if (raised) this.decide(followerId, state);
  }

  /**
   * Ties a follower to keys that identify a person or a device (`unionid:…`, `device:…`); when
   * too many followers share a key, all of them are raised.
   */
  observeLinks(followerId: string, keys: readonly string[]): void {
    for (const key of keys) {
      let followers = this.links.get(key);
      if (!followers) this.links.set(key, (followers = new Set()));
      followers.add(followerId);
      for (const id of followers) this.stateOf(id).peak('linkedAccounts', followers.size);
      if (followers.size < this.settings.linkedAccounts.accounts) continue;
      for (const id of followers) {
        const state = this.stateOf(id);
        const kind = key.slice(0, key.indexOf(':'));
        if (this.raise(state, 'linked_accounts', { accounts: followers.size, via: kind })) this.decide(id, state);
      }
    }
  }

  /**
   * A follower was attributed to a referrer. When `referralFarming.idleReferred` of the referrer's
   * accounts referred within the window have done no more than `idleEvents` events (followed and
   * nothing else), the referrer is raised. Checked on each new referral, so accounts that became
   * active since count no more.
   */
  observeReferral(referrerId: string, referredId: string, at: Date): void {
    const s = this.settings.referralFarming;
    const windowMs = s.windowHours * 3_600_000;
    const atMs = at.getTime();
    let referred = this.referred.get(referrerId);
    if (!referred) this.referred.set(referrerId, (referred = []));
    referred.push({ followerId: referredId, atMs });
    if (referred.length > 500) referred.splice(0, referred.length - 500);
    const idle = referred.filter((r) => atMs - r.atMs <= windowMs && (this.states.get(r.followerId)?.events.size ?? 0) <= s.idleEvents).length;
    if (idle < s.idleReferred) return;
    const state = this.stateOf(referrerId);
    if (this.raise(state, 'referral_farming', { idleReferred: idle, windowHours: s.windowHours })) this.decide(referrerId, state);
  }

  /** A referral was refused because the referrer and the referred account share a device or unionid (`via`). */
  observeReferralRefused(referrerId: string, referredId: string, via: string): void {
    for (const id of [referrerId, referredId]) {
      const state = this.stateOf(id);
      if (this.raise(state, 'referral_farming', { linkedReferral: 1, via })) this.decide(id, state);
    }
  }

  /**
   * A paid order redeemed a coupon. When `couponLinkedAccounts.accounts` followers behind one
   * device or unionid (as {@link observeLinks} learnt them) have redeemed the same coupon, all of
   * them are raised.
   */
  observeCouponRedemption(followerId: string, couponId: string): void {
    let redeemers = this.couponRedeemers.get(couponId);
    if (!redeemers) {
      this.couponRedeemers.set(couponId, (redeemers = new Set()));
      if (this.couponRedeemers.size > MAX_TEXTS) this.couponRedeemers.delete(this.couponRedeemers.keys().next().value!);
    }
    redeemers.add(followerId);
    if (redeemers.size < this.settings.couponLinkedAccounts.accounts) return;
    for (const [key, followers] of this.links) {
      if (!followers.has(followerId)) continue;
      const linked = [...followers].filter((id) => redeemers.has(id));
      if (linked.length < this.settings.couponLinkedAccounts.accounts) continue;
      for (const id of linked) {
        const state = this.stateOf(id);
        if (this.raise(state, 'coupon_linked_accounts', { accounts: linked.length, via: key.slice(0, key.indexOf(':')) })) this.decide(id, state);
      }
    }
  }

  /** `'flagged'`, `'blocked'`, `'cleared'`, or undefined for a follower with no decision. */
  statusOf(followerId: string): RiskStatus | undefined {
    return this.statuses.get(followerId)?.status;
  }

  /** Whether the follower's checkouts are held and they are left out of broadcasts and experiments. */
  isUnderReview(followerId: string): boolean {
    const status = this.statusOf(followerId);
    return status === 'flagged' || status === 'blocked';
  }

  isBlocked(followerId: string): boolean {
    return this.statusOf(followerId) === 'blocked';
  }

  /**
   * Whether a chat turn is answered: blocked followers get silence; more than
   * `chatThrottle.messages` turns within its window get one notice, then silence until the window
   * has passed.
   */
  admitChatTurn(followerId: string): ChatAdmission {
    if (this.isBlocked(followerId)) return 'silence';
    const state = this.stateOf(followerId);
    const nowMs = this.deps.clock.now().getTime();
    const { messages, windowSeconds } = this.settings.chatThrottle;
    if (nowMs < state.throttledUntilMs) {
      if (state.hasNoticeGone) return 'silence';
      state.hasNoticeGone = true;
      return 'notice';
    }
    const windowMs = windowSeconds * 1000;
    state.turns.add(nowMs, windowMs);
    if (state.turns.countBetween(nowMs - windowMs, nowMs) <= messages) return 'answer';
    state.throttledUntilMs = nowMs + windowMs;
    state.hasNoticeGone = true;
    return 'notice';
  }

  /**
   * Records a checkout asked for while the follower is under review: the order stays pending and
   * no invoice or prepay is issued until an admin clears them.
   */
  async holdCheckout(orderId: string, followerId: string): Promise<void> {
    await this.deps.store?.holdOrder(orderId, followerId, this.deps.clock.now());
  }

  /** The follower's current score and reasons, as the scorer sees them now. */
  assess(followerId: string): { score: number; reasons: RiskReason[] } {
    const state = this.states.get(followerId);
    if (!state) return { score: 0, reasons: [] };
    return this.scoreOf(state);
  }

  /** Each follower the scorer knows, with their anomaly features (the baseline is fitted on these). */
  featureVectors(): Map<string, FollowerRiskState['features']> {
    return new Map([...this.states].map(([id, state]) => [id, state.features]));
  }

  /** An admin's decision, applied in this process at once (others see it on {@link refresh}). */
  applyReview(followerId: string, status: RiskStatus, reviewed: readonly RiskReason[]): void {
    this.statuses.set(followerId, { status, reviewed: new Set(reviewed.map((r) => r.code)) });
    if (status === 'cleared') {
      const state = this.states.get(followerId);
      if (state) {
        state.reasons.clear();
        state.throttledUntilMs = 0;
      }
    }
  }

  /** Forgets followers idle for two days (their stored decisions stay). */
  forgetIdle(): void {
    const before = this.deps.clock.now().getTime() - IDLE_FORGET_MS;
    for (const [id, state] of this.states) if (state.lastActivityMs < before) this.states.delete(id);
  }

  private stateOf(followerId: string): FollowerRiskState {
    let state = this.states.get(followerId);
    if (!state) this.states.set(followerId, (state = new FollowerRiskState()));
    return state;
  }

  /** Raises a reason unless its rule is off; true when it is new for this follower. */
  private raise(state: FollowerRiskState, code: RiskSignal, params: RiskReason['params']): boolean {
    if (this.weightOf(code) === 0) return false;
    return state.raise({ code, params });
  }

  private weightOf(code: RiskSignal): number {
    const s = this.settings;
    const weights: Record<RiskSignal, number> = {
      event_burst: s.eventBurst.weight, message_burst: s.messageBurst.weight, duplicate_text: s.duplicateText.weight, new_account_clicks: s.newAccountClicks.weight,
      linked_accounts: s.linkedAccounts.weight, pay_refund_cycles: s.payRefundCycles.weight, payment_failures: s.paymentFailures.weight, anomaly: s.anomaly.weight,
      referral_farming: s.referralFarming.weight, coupon_linked_accounts: s.couponLinkedAccounts.weight,
    };
    return weights[code];
  }

  private checkAnomaly(state: FollowerRiskState): boolean {
    if (!this.baseline) return false;
    const { z, feature } = anomalyOf(this.baseline, state.features);
    if (z < this.settings.anomaly.zThreshold) return false;
    return this.raise(state, 'anomaly', { z: Math.round(z * 10) / 10, feature, value: state.features[feature] });
  }

  /** Identical texts (not commands, not too short) from `duplicateText.accounts` followers within the window. */
  private observeText(followerId: string, text: string, atMs: number): boolean {
    const s = this.settings.duplicateText;
    const normalised = text.trim().toLowerCase().replace(/\s+/g, ' ');
    if (normalised.startsWith('/') || codePoints(normalised, s.minLength) < s.minLength) return false;
    const windowMs = s.windowSeconds * 1000;
    let senders = this.texts.get(normalised);
    if (!senders) {
      this.texts.set(normalised, (senders = []));
      if (this.texts.size > MAX_TEXTS) this.texts.delete(this.texts.keys().next().value!);
    }
    senders.push({ atMs, followerId });
    if (senders.length > 500) senders.splice(0, senders.length - 500);
    const near = new Set<string>();
    for (const sender of senders) if (Math.abs(sender.atMs - atMs) <= windowMs) near.add(sender.followerId);
    for (const id of near) this.stateOf(id).peak('duplicateTextAccounts', near.size);
    if (near.size < s.accounts) return false;
    let raisedHere = false;
    for (const id of near) {
      const state = this.stateOf(id);
      if (!this.raise(state, 'duplicate_text', { accounts: near.size, windowSeconds: s.windowSeconds, text: normalised.slice(0, 60) })) continue;
      if (id === followerId) raisedHere = true;
      else this.decide(id, state);
    }
    return raisedHere;
  }

  private scoreOf(state: FollowerRiskState): { score: number; reasons: RiskReason[] } {
    const reasons = [...state.reasons.values()];
    const score = Math.min(100, reasons.reduce((sum, r) => sum + this.weightOf(r.code), 0));
    return { score, reasons };
  }

  /**
   * Flags the follower when the score reaches `flagScore`: unless already flagged or blocked, and
   * (when cleared) only for a reason the admin has not reviewed yet. The write goes in the background.
   */
  private decide(followerId: string, state: FollowerRiskState): void {
    const { score, reasons } = this.scoreOf(state);
    if (score < this.settings.flagScore) return;
    const known = this.statuses.get(followerId);
    if (known?.status === 'blocked') return;
    if (known?.status === 'cleared' && reasons.every((r) => known.reviewed.has(r.code))) return;
    const isUpdate = known?.status === 'flagged';
    this.statuses.set(followerId, { status: 'flagged', reviewed: known?.reviewed ?? new Set() });
    if (!this.writer) return;
    const at = this.deps.clock.now();
    const write = this.writer.submit({ followerId, status: 'flagged', score, reasons, actor: RISK_SCORER_ACTOR, at }).catch((error: unknown) => {
      this.deps.logger.error({ err: error, followerId, isUpdate }, 'risk decision not stored; the follower stays flagged in this process only');
    });
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }
}
