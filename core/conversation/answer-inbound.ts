import { courseTitle } from '../catalog/course.js';
import { answerDialogTurn, isMemoryRead } from '../dialog/handle-inbound.js';
import { dialogText } from '../dialog/dialog-text.js';
import type { DialogDeps } from '../dialog/dialog-turn.js';
import type { Reply } from '../dialog/reply.js';
import type { Intent } from '../dialog/intent.js';
import { ValidationError } from '../errors.js';
import type { EventInput, IdentityInput, IdentityKind, RecordedEvents } from '../events/index.js';
import type { Follower } from '../followers/follower.js';
import type { DialogMemory, Logger, Recipient } from '../ports/index.js';
import type { ChatPayment, Inbound, InboundOutcome } from './inbound.js';
import type { ChargeRefunds, EventSink, ReplyOutbox } from './ports.js';
import { learningTurnReplies, type ChatLearning } from './learning-turn.js';
import { settlePayment } from './settle-payment.js';
import { startLearningReplies } from '../learning/start-learning-replies.js';
import { courseGroupInviteReplies } from '../learning/course-group-invite.js';
import { riskText } from '../risk/risk-text.js';
import { attributeReferral } from '../referrals/attribute-referral.js';
import { referralRewardReplies } from '../referrals/reward-replies.js';
import type { ReferralReward } from '../referrals/reward-referral.js';

export interface InboundConversationDeps<Ticket> {
  /** The dialog's reads, clock and recommender; its derived events go to `events` too. */
  dialog: DialogDeps;
  events: EventSink<Ticket>;
  outbox: ReplyOutbox;
  logger: Logger;
  /** Gives back money no order takes; without it such payments are logged for a person. */
  refunds?: ChargeRefunds;
  /** Course delivery in chat (start learning after payment, lesson buttons, check-ins); without it the chat only sells. */
  learning?: ChatLearning;
}

/** The follower an update's events were recorded for, with their row when the recording read it. */
interface Recorded {
  followerId: string | undefined;
  follower?: Follower;
}

/**
 * What the bot still answers while a person handles the chat: opting out of marketing and back in
 * (the follower's right at any time). Everything else waits for the person.
 */
const WHILE_WITH_PERSON: ReadonlySet<Intent['kind']> = new Set(['unsubscribe', 'resubscribe']);

/** The delivery was admitted before: a redelivery. */
const REFUSED = Symbol('refused');

/** How long a platform identity's follower id is reused without resolving the identity again. */
const FOLLOWER_CACHE_MS = 10 * 60_000;
const FOLLOWER_CACHE_SIZE = 50_000;

const identityKeyOf = (identity: IdentityInput) => `${identity.kind}:${identity.externalId}`;

/**
 * The one inbound use case every platform calls: records the update's events through the event
 * sink (a redelivery stops there), resolves the follower once, then answers by kind — the dialog
 * for a turn, reachability for a block, {@link settlePayment} for a payment — and hands the
 * replies to the platform's durable outbox. Adapters only translate updates into {@link Inbound}
 * and deliver; no business rule or customer-facing text lives in them.
 *
 * A redelivery is recognised by the sink refusing the delivery's ticket (Telegram claims each
 * update_id in the same statement as its events) or, without a ticket, by every event coming back
 * as a duplicate (WeChat message ids).
 *
 * @example
 * const conversation = new InboundConversation({ dialog, events: batcher, outbox: messenger, logger });
 * await conversation.answer({ kind: 'turn', identity, chat: { id: '42', kind: 'private' }, events: [event],
 *   turn: { platform: 'telegram', messageId: '7:1001', chatKind: 'private', text: 'any python course?' } });
 */
export class InboundConversation<Ticket = never> {
  private readonly dialog: DialogDeps;
  private readonly groupDialog: DialogDeps;

  constructor(private readonly deps: InboundConversationDeps<Ticket>) {
    // The dialog's derived events (topics picked, courses viewed) share the sink's batches.
    this.dialog = { ...deps.dialog, recordEvents: async (inputs) => (await deps.events.recordSeeingFollowers(inputs)).results };
    // A person answers in a private chat only: in a group the request is recorded, as without a desk.
    const { handoff: _privateOnly, ...groupDialog } = this.dialog;
    this.groupDialog = groupDialog;
  }

  /**
   * Answers one inbound update. `options.ticket` is admitted with the events (see {@link EventSink});
   * `options.onRecorded` runs once they are recorded, before the answer (Telegram answers the
   * button's callback query then).
   */
  async answer(inbound: Inbound, options: { ticket?: Ticket; onRecorded?: () => void } = {}): Promise<InboundOutcome> {
    const identityKey = identityKeyOf(inbound.identity);
    // A follower not seen lately is resolved (created on first sight) before the shared events
    // statement, which then takes plain follower ids (resolving identities there would need a
    // transaction, one identity after another). If the update then fails, the follower stays and
    // the redelivery finds it.
    const isOneFollower = inbound.events.length > 0 && inbound.events.every((e) => e.identity && identityKeyOf(e.identity) === identityKey);
    let resolved: Follower | undefined;
    if (isOneFollower && !this.knownFollower(identityKey)) {
      resolved = await this.deps.dialog.repos.followers.resolveIdentity(inbound.identity).then((r) => r.follower, () => undefined);
      if (resolved) this.rememberFollower(identityKey, resolved.id);
    }
    // A turn's dialog memory is read while its events are recorded, not after: the follower is
    // usually known by now (cached, or just resolved), and the memory read does not depend on the
    // events statement.
    const earlyFollowerId = inbound.kind === 'turn' && isMemoryRead(inbound.turn) && isOneFollower ? (resolved?.id ?? this.knownFollower(identityKey)) : undefined;
    const memoryRead = earlyFollowerId ? this.recallMemory(earlyFollowerId) : undefined;
    const recorded = inbound.events.length > 0 ? await this.recordAll(inbound.events, options.ticket) : await this.resolveOnly(inbound.identity);
    if (recorded === REFUSED) return this.duplicate(inbound);
    options.onRecorded?.();
    const followerId = recorded.followerId;
    if (!followerId) return 'processed';
    const to: Recipient = { followerId, chatId: inbound.chat.id };
    switch (inbound.kind) {
      case 'record':
        return 'processed';
      case 'reachability':
        await this.deps.dialog.repos.followers.update(followerId, { isReachable: inbound.isReachable });
        return 'processed';
      case 'payment':
        await this.settle(inbound.payment, to, inbound.identity.kind);
        return 'processed';
      case 'turn': {
        // The events statement returned the follower's row (it moved their last-seen time).
        const follower = recorded.follower ?? resolved;
        // Risk: a blocked follower gets no answer; one who writes too fast gets one notice, then
        // silence for the window. Both are decided in memory.
        const admission = this.deps.dialog.recordEventsDeps.risk?.admitChatTurn(followerId) ?? 'answer';
        if (admission !== 'answer') {
          if (admission === 'notice') {
            const text = riskText(follower?.locale ?? inbound.turn.locale ?? 'zh-CN').chatThrottled;
            await this.deps.outbox.enqueue(to, [{ type: 'text', text }], { purpose: 'transactional' });
          }
          return 'processed';
        }
        // A referral link is attributed once: a redelivered update stopped above, and a follower is referred at most once.
        if (inbound.referral) {
          const { uow, clock, recordEventsDeps: { risk } } = this.deps.dialog;
          await attributeReferral({ uow, clock, ...(risk ? { risk } : {}) }, { followerId, ...inbound.referral });
        }
        const learned = this.deps.learning ? await learningTurnReplies(this.deps.learning, inbound.turn, followerId, follower?.locale ?? inbound.turn.locale ?? 'zh-CN') : undefined;
        if (learned) {
          if (learned.length) await this.deps.outbox.enqueue(to, learned, { purpose: 'transactional' });
          return 'processed';
        }
        const memory = earlyFollowerId === followerId ? await memoryRead : undefined;
        const desk = this.deps.dialog.handoff?.desk;
        // The events statement returns the follower's row, so knowing whether a person handles
        // the chat costs no extra read on the usual path.
        const current = follower ?? (desk ? ((await this.deps.dialog.repos.followers.findById(followerId)) ?? undefined) : undefined);
        const message = { ...inbound.turn, followerId };
        const known = { ...(current ? { follower: current } : {}), ...(memory !== undefined ? { memory } : {}) };
        const dialog = inbound.chat.kind === 'private' ? this.dialog : this.groupDialog;
        let outcome = await answerDialogTurn(dialog, message, { ...known, ...(desk && current?.inHandoffSince ? { onlyIntents: WHILE_WITH_PERSON } : {}) });
        if (outcome.isHeld && desk) {
          const noted = await desk.noteFollowerMessage(followerId, this.deps.dialog.clock.now());
          if (noted) {
            // The message is in the event log, shown in the inbox; the follower hears once that a person will reply.
            if (noted.isNoticeDue && inbound.chat.kind === 'private') {
              await this.deps.outbox.enqueue(to, [{ type: 'text', text: dialogText(current?.locale ?? 'zh-CN').handoffWaiting }], { purpose: 'transactional' });
            }
            return 'processed';
          }
          // Closed meanwhile: the bot answers again.
          outcome = await answerDialogTurn(dialog, message, known);
        }
        const { replies, memory: remembered } = outcome;
        if (outcome.handoff && desk) {
          const { reason, courseId } = outcome.handoff;
          await desk.open({ followerId, platform: inbound.turn.platform, chatId: to.chatId, reason, courseId: courseId ?? null, at: this.deps.dialog.clock.now() });
        }
        // Queued, not sent: the update is done once its replies are in the chat's outbox and the
        // memory the next message needs ("the second one") is stored; the two writes are independent.
        await Promise.all([
          replies.length ? this.deps.outbox.enqueue(to, replies, { purpose: 'transactional' }) : undefined,
          remembered ? this.dialog.memory.remember([{ followerId, memory: remembered }]) : undefined,
        ]);
        return 'processed';
      }
    }
  }

  /** The stored dialog memory; a failed read is logged and the turn reads it again itself (undefined). */
  private recallMemory(followerId: string): Promise<DialogMemory | null | undefined> {
    return this.dialog.memory.recall([followerId]).then((found) => found.get(followerId) ?? null, (error: unknown) => {
      this.deps.logger.warn({ err: error, followerId }, 'dialog memory read failed; the turn reads it again');
      return undefined;
    });
  }

  private duplicate(inbound: Inbound): InboundOutcome {
    this.deps.logger.debug({ platform: inbound.events[0]?.platform, externalId: inbound.events[0]?.externalId }, 'inbound update already processed');
    return 'duplicate';
  }

  private async resolveOnly(identity: IdentityInput): Promise<Recorded> {
    const { follower } = await this.deps.dialog.repos.followers.resolveIdentity(identity);
    return { followerId: follower.id, follower };
  }

  /**
   * Records the update's events; a course id that no longer exists is dropped rather than losing
   * the event. An identity seen lately is sent as its follower id: the shared statement then checks
   * all its followers at once instead of resolving each identity in turn. Identities are never
   * moved to another follower, and a deleted follower fails the check, after which the identity is
   * sent again (and creates a new follower). With a ticket, the first attempt is admitted in the
   * same write; retries after a validation error are the same delivery and are not admitted again.
   */
  private async recordAll(events: EventInput[], ticket: Ticket | undefined): Promise<Recorded | typeof REFUSED> {
    let pending = ticket;
    const record = async (inputs: EventInput[]): Promise<RecordedEvents | typeof REFUSED> => {
      if (pending === undefined || !this.deps.events.recordIfAdmitted) {
        const recorded = await this.deps.events.recordSeeingFollowers(inputs);
        // Without a ticket, a delivery whose every event was stored before is a redelivery.
        return ticket === undefined && recorded.results.every((r) => r.status === 'duplicate') ? REFUSED : recorded;
      }
      const taken = pending;
      pending = undefined;
      const recorded = await this.deps.events.recordIfAdmitted(inputs, taken);
      return recorded === 'refused' ? REFUSED : recorded;
    };
    const identityKey = events[0]!.identity ? identityKeyOf(events[0]!.identity) : undefined;
    const known = identityKey ? this.knownFollower(identityKey) : undefined;
    if (known && events.every((e) => e.identity && identityKeyOf(e.identity) === identityKey)) {
      try {
        return await this.recordWithCourseFallback(events.map(({ identity: _resolved, ...rest }) => ({ ...rest, followerId: known })), record);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        this.followerIds.delete(identityKey!);
      }
    }
    const recorded = await this.recordWithCourseFallback(events, record);
    if (identityKey && recorded !== REFUSED && recorded.followerId) this.rememberFollower(identityKey, recorded.followerId);
    return recorded;
  }

  private async recordWithCourseFallback(events: EventInput[], record: (inputs: EventInput[]) => Promise<RecordedEvents | typeof REFUSED>): Promise<Recorded | typeof REFUSED> {
    const followerOf = (recorded: RecordedEvents | typeof REFUSED): Recorded | typeof REFUSED => {
      if (recorded === REFUSED) return REFUSED;
      const [result] = recorded.results;
      const followerId = result && 'followerId' in result ? result.followerId : undefined;
      const follower = followerId ? recorded.followers.get(followerId) : undefined;
      return { followerId, ...(follower ? { follower } : {}) };
    };
    try {
      return followerOf(await record(events));
    } catch (error) {
      if (!(error instanceof ValidationError) || !events.some((e) => e.courseId)) throw error;
      return followerOf(await record(events.map(({ courseId: _dropped, ...rest }) => rest)));
    }
  }

  /** Identity → follower id, for {@link FOLLOWER_CACHE_MS}; the oldest go first beyond {@link FOLLOWER_CACHE_SIZE}. */
  private readonly followerIds = new Map<string, { followerId: string; atMs: number }>();

  private knownFollower(identityKey: string): string | undefined {
    const entry = this.followerIds.get(identityKey);
    if (!entry) return undefined;
    if (Date.now() - entry.atMs < FOLLOWER_CACHE_MS) return entry.followerId;
    this.followerIds.delete(identityKey);
    return undefined;
  }

  private rememberFollower(identityKey: string, followerId: string): void {
    this.followerIds.delete(identityKey);
    this.followerIds.set(identityKey, { followerId, atMs: Date.now() });
    if (this.followerIds.size > FOLLOWER_CACHE_SIZE) this.followerIds.delete(this.followerIds.keys().next().value!);
  }

  /**
   * Tells the referrer what a friend's purchase earned them, on this platform when they use it
   * (once per order); a referrer only on another platform sees it there in their coupons or ledger.
   */
  private async tellReferrer(reward: ReferralReward, orderId: string, platform: IdentityKind): Promise<void> {
    const { followers } = this.deps.dialog.repos;
    const [referrer, chatId] = await Promise.all([followers.findById(reward.referrerId), followers.externalIdOf(reward.referrerId, platform)]);
    if (!referrer || !chatId) return;
    await this.deps.outbox.send({ followerId: referrer.id, chatId }, referralRewardReplies(reward, referrer.locale), { purpose: 'transactional', idempotencyKey: `referral:${orderId}` });
  }

  /**
   * Settles a chat payment and tells the payer what happened: the course is theirs, or their money
   * went back. Each message is sent once per charge, whatever the platform redelivers.
   */
  private async settle(payment: ChatPayment, to: Recipient, buyer: IdentityKind): Promise<void> {
    const locale = (await this.deps.dialog.repos.followers.findById(to.followerId))?.locale ?? 'zh-CN';
    const text = dialogText(locale);
    const context = { orderId: payment.orderId, chargeId: payment.chargeId, provider: payment.provider };
    const settlement = await settlePayment(this.deps.dialog, payment);
    switch (settlement.outcome) {
      case 'duplicate':
        return;
      case 'manual_review':
        this.deps.dialog.recordEventsDeps.risk?.observePaymentFailure(to.followerId, settlement.reason, this.deps.dialog.clock.now());
        this.deps.logger.error({ ...context, reason: settlement.reason, currency: payment.currency }, 'chat payment left for a person to check; it is not refunded automatically');
        return;
      case 'confirmed': {
        const { order } = settlement;
        const course = await this.deps.dialog.repos.courses.findById(order.courseId);
        const replies: Reply[] = [{ type: 'text', text: text.paymentReceived(course ? courseTitle(course, locale) : '') }];
        // The buyer gets something to study at once: the lesson list and the next lesson's link.
        if (this.deps.learning) replies.push(...(await startLearningReplies(this.deps.learning.deps, { followerId: order.followerId, courseId: order.courseId, links: this.deps.learning.links })));
        if (this.deps.learning && course) replies.push(...(await courseGroupInviteReplies(this.deps.learning.groupInvites, course, order, buyer, locale, this.deps.logger)));
        await this.deps.outbox.send(to, replies, { purpose: 'transactional', idempotencyKey: `paid:${payment.chargeId}` });
        if (order.couponId) this.deps.dialog.recordEventsDeps.risk?.observeCouponRedemption(order.followerId, order.couponId);
        if (settlement.referral) await this.tellReferrer(settlement.referral, order.id, buyer);
        return;
      }
      case 'refund': {
        this.deps.dialog.recordEventsDeps.risk?.observePaymentFailure(to.followerId, settlement.reason, this.deps.dialog.clock.now());
        if (!this.deps.refunds) {
          this.deps.logger.error({ ...context, reason: settlement.reason }, 'chat payment refused by the order and no refund path is configured; refund it by hand');
          return;
        }
        try {
          await this.deps.refunds.refundCharge(payment);
        } catch (error) {
          this.deps.logger.error({ ...context, reason: settlement.reason, err: error }, 'chat payment refused by the order and its refund failed; refund it by hand');
          return;
        }
        this.deps.logger.warn({ ...context, reason: settlement.reason }, 'chat payment refused by the order; refunded');
        const replies: Reply[] = [{ type: 'text', text: text.paymentRefunded(payment.totalAmount) }];
        await this.deps.outbox.send(to, replies, { purpose: 'transactional', idempotencyKey: `refunded:${payment.chargeId}` });
        return;
      }
    }
  }
}
