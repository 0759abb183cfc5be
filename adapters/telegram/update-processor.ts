import type { Update } from 'telegraf/types';
import {
  confirmPayment, courseTitle, EventBatcher, handleInbound, MicroBatcher, ValidationError, ZhiliaoError,
  type CoreMetrics, type DialogDeps, type EventInput, type Follower, type RecordedEvents, type Logger, type Messenger, type Recipient, type Reply, type SendPurpose,
} from '../../core/index.js';
import type { PgTelegramUpdateRepository } from '../../models/index.js';
import { translateUpdate, type TranslatedUpdate } from './translate-update.js';
import { validatePreCheckout } from './validate-pre-checkout.js';

/** The Bot API calls that answer queries (telegraf's `Telegram` has them). */
export interface QueryAnswerer {
  answerCbQuery(callbackQueryId: string, text?: string): Promise<unknown>;
  answerPreCheckoutQuery(preCheckoutQueryId: string, ok: boolean, errorMessage?: string): Promise<unknown>;
}

/** The outbound path: `send` waits for the outcome (idempotent sends); `enqueue` hands chat replies over and returns once they are queued. */
export interface ReplyMessenger extends Messenger {
  enqueue(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose }): Promise<void>;
}

export interface UpdateProcessorDeps {
  dialog: DialogDeps;
  messenger: ReplyMessenger;
  updates: Pick<PgTelegramUpdateRepository, 'claimMany' | 'release'>;
  logger: Logger;
  metrics?: CoreMetrics;
  botId: string;
  botUsername?: string;
  /**
   * Reads behind payment decisions (pre-checkout validation), never cached; the dialog's repos
   * (whose catalogue may be a few seconds old) by default.
   */
  paymentRepos?: DialogDeps['repos'];
  /** Gives a Stars charge back to the Telegram user who paid it (`refundStarPayment`); a payment no order takes is refunded with it. */
  refundStars?: (telegramUserId: string, chargeId: string) => Promise<unknown>;
  /** Called once per processed update with how long each phase took (ms); the benchmark profiles with it. */
  onPhases?: (phases: UpdatePhases) => void;
  /** How long concurrent updates wait for each other to share one claim and one events statement; 0 by default: what arrives while the previous batch is in flight forms the next one. */
  batchWaitMs?: number;
}

/**
 * Where one update's time went, in ms: claim (or, for a user not seen lately, resolving them;
 * the claim itself then rides with the events), events, dialog (reads and queueing the replies),
 * and waiting on the callback answer (only when the update failed).
 */
export interface UpdatePhases {
  claimMs: number;
  eventsMs: number;
  dialogMs: number;
  callbackAnswerMs: number;
}

export type ProcessOutcome = 'processed' | 'duplicate' | 'ignored';

/** An update_id to take before the update is processed. */
interface Claim {
  updateId: number;
  kind: string;
}

/** The follower an update's events were recorded for, with their row when the recording read it. */
interface Recorded {
  followerId: string | undefined;
  follower?: Follower;
}

/** The update_id was taken before: a redelivery. */
const REFUSED = Symbol('refused');

/** How long a Telegram user's follower id is reused without resolving the identity again. */
const FOLLOWER_CACHE_MS = 10 * 60_000;
const FOLLOWER_CACHE_SIZE = 50_000;

/** Pre-checkout queries must be answered within 10 s; leave room for the network. */
const PRE_CHECKOUT_BUDGET_MS = 8_000;

/**
 * Handles one Telegram update end to end: takes its update_id (a redelivery stops here), answers
 * callback and pre-checkout queries first (Telegram waits on them), records the update as events,
 * applies reachability and payments, asks the dialog and queues its replies with the messenger
 * (they are sent in the background; the update is done once they are queued). Concurrent updates
 * share their update_id claims and their events statements (group commit).
 * If processing fails the update_id is given back, so Telegram's redelivery is processed again.
 *
 * @example
 * const processor = new UpdateProcessor(deps);
 * bot.use((ctx) => processor.process(ctx.update, ctx.telegram));
 */
export class UpdateProcessor {
  /** update_id claims of concurrent updates, taken in one statement. */
  private readonly claims: MicroBatcher<Claim, boolean>;
  /** Events of concurrent updates, recorded by one statement (group commit). */
  private readonly events: EventBatcher<Claim>;
  private readonly dialog: DialogDeps;

  constructor(private readonly deps: UpdateProcessorDeps) {
    const maxWaitMs = deps.batchWaitMs ?? 0;
    this.claims = new MicroBatcher((items) => deps.updates.claimMany(deps.botId, items), { maxWaitMs, maxSize: 200 });
    // Two batches in flight at most: what arrives meanwhile forms the next one (group commit), and
    // a batch held up in the database (a checkpoint, a lock) does not hold up every update behind
    // it. A follower is in one update at a time (Telegram delivers a chat's updates in order), so
    // concurrent batches rarely touch the same followers; if two ever deadlock, the batcher records
    // each update on its own.
    this.events = new EventBatcher<Claim>(deps.dialog.recordEventsDeps, {
      maxWaitMs,
      maxConcurrentFlushes: 2,
      admit: (claims) => deps.updates.claimMany(deps.botId, claims),
    });
    // The dialog's derived events (topics picked, courses viewed) share the same batches.
    this.dialog = deps.dialog.recordEvents ? deps.dialog : { ...deps.dialog, recordEvents: (inputs) => this.events.record(inputs) };
  }

  async process(update: Update, answerer: QueryAnswerer): Promise<ProcessOutcome> {
    const t = translateUpdate(update, { botId: this.deps.botId, ...(this.deps.botUsername ? { botUsername: this.deps.botUsername } : {}) });
    if (!t.identity) return 'ignored';
    const phases: UpdatePhases = { claimMs: 0, eventsMs: 0, dialogMs: 0, callbackAnswerMs: 0 };
    let mark = performance.now();
    const lap = (phase: keyof UpdatePhases) => {
      const now = performance.now();
      phases[phase] += now - mark;
      mark = now;
    };
    const identity = t.identity;
    const identityKey = `${identity.kind}:${identity.externalId}`;
    const isOneFollower = t.events.length > 0 && t.events.every((e) => e.identity?.kind === identity.kind && e.identity.externalId === identity.externalId);
    // A user not seen lately is resolved (created on first sight) before the shared events
    // statement, which then takes plain follower ids (resolving identities there would need a
    // transaction, one identity after another). If the update then fails, the follower stays and
    // the redelivery finds it.
    const resolve = () =>
      isOneFollower && !this.knownFollower(identityKey) ? this.deps.dialog.repos.followers.resolveIdentity(identity).then((r) => r.follower, () => undefined) : undefined;
    const claim = { updateId: t.updateId, kind: t.kind };
    // Usually the update_id is claimed by the batch that records the events, alongside them (one
    // wait). A pre-checkout query must be answered between the two, and an update without events
    // has nothing to record: those claim on their own first.
    const isClaimedWithEvents = t.events.length > 0 && !t.preCheckout;
    let resolved: Follower | undefined;
    if (isClaimedWithEvents) {
      resolved = await resolve();
    } else {
      const [isClaimed, follower] = await Promise.all([this.claims.submit(claim), resolve()]);
      if (!isClaimed) return this.duplicate(t.updateId);
      resolved = follower;
    }
    if (resolved) this.rememberFollower(identityKey, resolved.id);
    lap('claimMs');
    let answered: Promise<void> | undefined;
    let isDuplicate = false;
    let isFailed = false;
    // The callback answer (it stops the button's spinner) needs nothing from the database and is
    // not waited on before the rest; the update finishes only once it is done.
    const answerCallback = () => {
      if (!t.callbackQueryId) return;
      answered = answerer.answerCbQuery(t.callbackQueryId).then(() => undefined, (error: unknown) => this.deps.logger.warn({ err: error }, 'answerCallbackQuery failed'));
      this.answering.add(answered);
      void answered.finally(() => this.answering.delete(answered!));
    };
    if (!isClaimedWithEvents) answerCallback();
    try {
      if (t.preCheckout) await this.answerPreCheckout(t, answerer);
      const recorded = await this.recordAll(t.events, isClaimedWithEvents ? claim : undefined);
      lap('eventsMs');
      if (recorded === REFUSED) {
        isDuplicate = true;
        return this.duplicate(t.updateId);
      }
      answerCallback();
      const followerId = recorded?.followerId;
      if (!followerId || !t.chat) return 'processed';
      if (t.isReachable !== undefined) await this.deps.dialog.repos.followers.update(followerId, { isReachable: t.isReachable });
      if (t.payment) await this.confirm(t, followerId);
      if (t.inbound) {
        // The dialog needs the follower: the events statement returned their row (it moved their
        // last-seen time), unless this update changed the follower since; the dialog reads it then.
        const isPlainTurn = t.isReachable === undefined && !t.payment;
        const follower = isPlainTurn ? (recorded.follower ?? resolved) : undefined;
        const replies = await handleInbound(this.dialog, { ...t.inbound, followerId }, follower ? { follower } : {});
        // Queued, not sent: the update is done once its replies are in the chat's outbound queue.
        if (replies.length) await this.deps.messenger.enqueue({ followerId, chatId: t.chat.id }, replies, { purpose: 'transactional' });
      }
      lap('dialogMs');
      return 'processed';
    } catch (error) {
      isFailed = true;
      // Given back so that Telegram's redelivery is processed again. (When the failure was the
      // claim statement itself, nothing was taken and this deletes nothing of ours.)
      await this.deps.updates.release(this.deps.botId, t.updateId).catch(() => undefined);
      throw error;
    } finally {
      // An update that failed waits for its callback answer (the error goes back to the webhook
      // after it); a processed one leaves it in flight: `drain` waits for it at shutdown.
      if (isFailed) await answered;
      lap('callbackAnswerMs');
      if (!isDuplicate) this.deps.onPhases?.(phases);
    }
  }

  /** Callback answers still in flight. */
  private readonly answering = new Set<Promise<void>>();

  /** Resolves once the callback answers sent so far are done (graceful stop, tests). */
  async drain(): Promise<void> {
    while (this.answering.size > 0) await Promise.all([...this.answering]);
  }

  private duplicate(updateId: number): ProcessOutcome {
    this.deps.logger.debug({ updateId }, 'telegram update already processed');
    return 'duplicate';
  }

  /**
   * Records the update's events; a course id that no longer exists is dropped rather than losing
   * the event. A Telegram user seen lately is sent as their follower id instead of their identity:
   * the shared statement then checks all its followers at once instead of resolving each
   * identity in turn. Telegram identities are never moved to another follower, and a deleted
   * follower fails the check, after which the identity is sent again (and creates a new follower).
   * With `claim`, the first attempt takes the update_id in the same batch ({@link REFUSED} when
   * it was taken before); retries after a validation error are the same update and do not claim.
   */
  private async recordAll(events: EventInput[], claim?: Claim): Promise<Recorded | undefined | typeof REFUSED> {
    if (events.length === 0) return undefined;
    let ticket = claim;
    const record = async (inputs: EventInput[]): Promise<RecordedEvents | typeof REFUSED> => {
      if (!ticket) return { results: await this.events.record(inputs), followers: new Map() };
      const taken = ticket;
      ticket = undefined;
      const recorded = await this.events.recordIfAdmitted(inputs, taken);
      return recorded === 'refused' ? REFUSED : recorded;
    };
    const identityKey = events[0]!.identity ? `${events[0]!.identity.kind}:${events[0]!.identity.externalId}` : undefined;
    const known = identityKey ? this.knownFollower(identityKey) : undefined;
    if (known && events.every((e) => e.identity && `${e.identity.kind}:${e.identity.externalId}` === identityKey)) {
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

  private async recordWithCourseFallback(
    events: EventInput[],
    record: (inputs: EventInput[]) => Promise<RecordedEvents | typeof REFUSED>,
  ): Promise<Recorded | typeof REFUSED> {
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

  /** Telegram identity → follower id, for {@link FOLLOWER_CACHE_MS}; the oldest go first beyond {@link FOLLOWER_CACHE_SIZE}. */
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

  private async answerPreCheckout(t: TranslatedUpdate, answerer: QueryAnswerer): Promise<void> {
    const query = t.preCheckout!;
    let verdict: { ok: true } | { ok: false; message: string };
    try {
      verdict = await Promise.race([
        validatePreCheckout({ ...this.deps.dialog, repos: this.deps.paymentRepos ?? this.deps.dialog.repos }, { telegramUserId: t.identity!.externalId, locale: t.identity!.locale, ...query }),
        new Promise<{ ok: false; message: string }>((resolve) => setTimeout(() => resolve({ ok: false, message: 'Please try again in a moment.' }), PRE_CHECKOUT_BUDGET_MS).unref()),
      ]);
    } catch (error) {
      this.deps.logger.error({ err: error, updateId: t.updateId }, 'pre-checkout validation failed');
      verdict = { ok: false, message: 'Please try again in a moment.' };
    }
    await answerer.answerPreCheckoutQuery(query.queryId, verdict.ok, verdict.ok ? undefined : verdict.message);
    this.deps.logger.info({ updateId: t.updateId, orderId: query.orderId, ok: verdict.ok }, 'pre-checkout answered');
  }

  private async confirm(t: TranslatedUpdate, followerId: string): Promise<void> {
    const payment = t.payment!;
    const locale = (await this.deps.dialog.repos.followers.findById(followerId))?.locale ?? 'zh-CN';
    if (payment.currency !== 'XTR') {
      this.deps.logger.error({ updateId: t.updateId, currency: payment.currency, chargeId: payment.chargeId }, 'successful_payment in a currency we never invoice; refund it by hand');
      return;
    }
    if (!payment.orderId) return this.refundRefused(t, followerId, locale, 'unknown_invoice');
    try {
      const { order, isNew } = await confirmPayment(this.deps.dialog, {
        orderId: payment.orderId,
        provider: 'telegram_stars',
        providerChargeId: payment.chargeId,
        amountMinor: payment.totalAmount,
        currency: 'XTR',
      });
      if (!isNew) return;
      const course = await this.deps.dialog.repos.courses.findById(order.courseId);
      const title = course ? courseTitle(course, locale) : '';
      const text = locale === 'en' ? `Payment received, thank you! "${title}" is yours now. /my lists your courses.` : `支付成功，谢谢！「${title}」已开通，/my 查看你的课程。`;
      await this.deps.messenger.send({ followerId, chatId: t.chat!.id }, [{ type: 'text', text }], { purpose: 'transactional', idempotencyKey: `paid:${payment.chargeId}` });
    } catch (error) {
      if (!(error instanceof ZhiliaoError)) throw error;
      // A charge id that already paid another order is that order's money: never refunded here.
      if (error.code === 'charge_reused') {
        this.deps.logger.error({ updateId: t.updateId, orderId: payment.orderId, chargeId: payment.chargeId }, 'successful_payment carries a charge id that paid another order; left for a person to check');
        return;
      }
      await this.refundRefused(t, followerId, locale, error.code);
    }
  }

  /**
   * The Stars moved but no order takes them (already paid with another charge, wrong amount or
   * provider, unknown invoice): they go back to the payer with `refundStarPayment`, and the
   * follower is told. If
   * the refund fails, the charge id is logged for a refund by hand.
   */
  private async refundRefused(t: TranslatedUpdate, followerId: string, locale: string, reason: string): Promise<void> {
    const payment = t.payment!;
    const context = { updateId: t.updateId, orderId: payment.orderId, chargeId: payment.chargeId, reason };
    if (!this.deps.refundStars) {
      this.deps.logger.error(context, 'successful_payment refused by the order and no refund path is configured; refund it by hand');
      return;
    }
    try {
      await this.deps.refundStars(t.identity!.externalId, payment.chargeId);
    } catch (error) {
      this.deps.logger.error({ ...context, err: error }, 'successful_payment refused by the order and its refund failed; refund it by hand');
      return;
    }
    this.deps.logger.warn(context, 'successful_payment refused by the order; Stars refunded');
    const text = locale === 'en'
      ? `We could not apply this payment to an order, so your ${payment.totalAmount} Stars have been refunded. Tap Buy again if you still want the course.`
      : `这笔付款无法对应到订单，${payment.totalAmount} 颗星已原路退回。如仍想购买，请重新点击购买。`;
    await this.deps.messenger.send({ followerId, chatId: t.chat!.id }, [{ type: 'text', text }], { purpose: 'transactional', idempotencyKey: `refunded:${payment.chargeId}` });
  }
}
