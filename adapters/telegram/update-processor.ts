import type { Update } from 'telegraf/types';
import {
  checkoutTryAgain, EventBatcher, InboundConversation, MicroBatcher, reviewCheckout,
  type ChargeRefunds, type ChatLearning, type CheckoutVerdict, type DialogDeps, type Inbound, type Logger, type ReplyOutbox,
} from '../../core/index.js';
import type { PgTelegramUpdateRepository } from '../../models/index.js';
import { translateUpdate, type TranslatedUpdate } from './translate-update.js';

/** The Bot API calls that answer queries (telegraf's `Telegram` has them). */
export interface QueryAnswerer {
  answerCbQuery(callbackQueryId: string, text?: string): Promise<unknown>;
  answerPreCheckoutQuery(preCheckoutQueryId: string, ok: boolean, errorMessage?: string): Promise<unknown>;
}

export interface UpdateProcessorDeps {
  dialog: DialogDeps;
  outbox: ReplyOutbox;
  updates: Pick<PgTelegramUpdateRepository, 'claimMany' | 'release'>;
  logger: Logger;
  botId: string;
  botUsername?: string;
  /**
   * Reads behind payment decisions (pre-checkout review), never cached; the dialog's repos
   * (whose catalogue may be a few seconds old) by default.
   */
  paymentRepos?: DialogDeps['repos'];
  /** Gives back Stars no order takes (`refundStarPayment`). */
  refunds?: ChargeRefunds;
  /** Course delivery in chat (start learning after payment, lesson buttons, check-ins). */
  learning?: ChatLearning;
  /** Called once per processed update with how long each phase took (ms); the benchmark profiles with it. */
  onPhases?: (phases: UpdatePhases) => void;
  /** How long concurrent updates wait for each other to share one claim and one events statement; 0 by default: what arrives while the previous batch is in flight forms the next one. */
  batchWaitMs?: number;
}

/**
 * Where one update's time went, in ms: recording (the update_id claim, resolving a user not seen
 * lately, the events statement), answering (the dialog and queueing its replies, or settling a
 * payment), and waiting on the callback answer (only when the update failed).
 */
export interface UpdatePhases {
  recordMs: number;
  answerMs: number;
  callbackAnswerMs: number;
}

export type ProcessOutcome = 'processed' | 'duplicate' | 'ignored';

/** An update_id to take before the update is processed. */
interface Claim {
  updateId: number;
  kind: string;
}

/** Pre-checkout queries must be answered within 10 s; leave room for the network. */
const PRE_CHECKOUT_BUDGET_MS = 8_000;

/**
 * The Telegram edge of the core inbound use case: translates each update and hands it to
 * {@link InboundConversation}, one small handler per kind. What only Telegram has stays here: the
 * update_id claim (taken in the same statement as the events, so a redelivery stops there), the
 * callback answer that stops a button's spinner, and the pre-checkout answer Telegram waits on.
 * If processing fails the update_id is given back, so Telegram's redelivery is processed again.
 *
 * @example
 * const processor = new UpdateProcessor(deps);
 * bot.use((ctx) => processor.process(ctx.update, ctx.telegram));
 */
export class UpdateProcessor {
  /** update_id claims of updates that are claimed before their events (pre-checkout queries). */
  private readonly claims: MicroBatcher<Claim, boolean>;
  private readonly conversation: InboundConversation<Claim>;

  constructor(private readonly deps: UpdateProcessorDeps) {
    const maxWaitMs = deps.batchWaitMs ?? 0;
    this.claims = new MicroBatcher((items) => deps.updates.claimMany(deps.botId, items), { maxWaitMs, maxSize: 200 });
    // Two batches in flight at most: what arrives meanwhile forms the next one (group commit), and
    // a batch held up in the database (a checkpoint, a lock) does not hold up every update behind
    // it. A follower is in one update at a time (Telegram delivers a chat's updates in order), so
    // concurrent batches rarely touch the same followers; if two ever deadlock, the batcher records
    // each update on its own.
    const events = new EventBatcher<Claim>(deps.dialog.recordEventsDeps, {
      maxWaitMs,
      maxConcurrentFlushes: 2,
      admit: (claims) => deps.updates.claimMany(deps.botId, claims),
    });
    this.conversation = new InboundConversation({
      dialog: deps.dialog, events, outbox: deps.outbox, logger: deps.logger, ...(deps.refunds ? { refunds: deps.refunds } : {}), ...(deps.learning ? { learning: deps.learning } : {}),
    });
  }

  async process(update: Update, answerer: QueryAnswerer): Promise<ProcessOutcome> {
    const translated = translateUpdate(update, { botId: this.deps.botId, ...(this.deps.botUsername ? { botUsername: this.deps.botUsername } : {}) });
    switch (translated.kind) {
      case 'ignored':
        return 'ignored';
      case 'inbound':
        return this.answer(translated, translated.inbound);
      case 'callback_query':
        return this.answer(translated, translated.inbound, () => answerer.answerCbQuery(translated.callbackQueryId));
      case 'pre_checkout_query':
        return this.onPreCheckout(translated, answerer);
    }
  }

  /**
   * Hands an update to the core with its update_id as the ticket; `answerQuery` (a callback answer)
   * goes out once the events are recorded and is not waited on, unless the update fails.
   */
  private async answer(update: TranslatedUpdate, inbound: Inbound, answerQuery?: () => Promise<unknown>): Promise<ProcessOutcome> {
    const started = performance.now();
    let recordedAt = started;
    let answered: Promise<void> | undefined;
    const onRecorded = () => {
      recordedAt = performance.now();
      if (!answerQuery) return;
      answered = answerQuery().then(() => undefined, (error: unknown) => this.deps.logger.warn({ err: error }, 'answerCallbackQuery failed'));
      this.answering.add(answered);
      void answered.finally(() => this.answering.delete(answered!));
    };
    try {
      const outcome = await this.conversation.answer(inbound, { ticket: { updateId: update.updateId, kind: update.updateType }, onRecorded });
      if (outcome === 'duplicate') return 'duplicate';
      this.deps.onPhases?.({ recordMs: recordedAt - started, answerMs: performance.now() - recordedAt, callbackAnswerMs: 0 });
      return outcome;
    } catch (error) {
      await this.release(update.updateId);
      // The error goes back to the webhook only after the callback answer.
      const waitStarted = performance.now();
      await answered;
      this.deps.onPhases?.({ recordMs: recordedAt - started, answerMs: waitStarted - recordedAt, callbackAnswerMs: performance.now() - waitStarted });
      throw error;
    }
  }

  /** Claimed and reviewed before anything is recorded: Telegram takes the Stars only after our answer. */
  private async onPreCheckout(update: Extract<TranslatedUpdate, { kind: 'pre_checkout_query' }>, answerer: QueryAnswerer): Promise<ProcessOutcome> {
    if (!(await this.claims.submit({ updateId: update.updateId, kind: update.updateType }))) return 'duplicate';
    try {
      let verdict: CheckoutVerdict;
      try {
        verdict = await Promise.race([
          reviewCheckout(this.deps.paymentRepos ?? this.deps.dialog.repos, update.checkout, this.deps.dialog.recordEventsDeps.risk),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('pre-checkout review took too long')), PRE_CHECKOUT_BUDGET_MS).unref()),
        ]);
      } catch (error) {
        this.deps.logger.error({ err: error, updateId: update.updateId }, 'pre-checkout review failed');
        verdict = { ok: false, message: checkoutTryAgain(update.checkout.locale) };
      }
      await answerer.answerPreCheckoutQuery(update.queryId, verdict.ok, verdict.ok ? undefined : verdict.message);
      this.deps.logger.info({ updateId: update.updateId, orderId: update.checkout.orderId, ok: verdict.ok }, 'pre-checkout answered');
      await this.conversation.answer(update.inbound);
      return 'processed';
    } catch (error) {
      await this.release(update.updateId);
      throw error;
    }
  }

  /** Gives the update_id back so that Telegram's redelivery is processed again. */
  private async release(updateId: number): Promise<void> {
    await this.deps.updates.release(this.deps.botId, updateId).catch(() => undefined);
  }

  /** Callback answers still in flight. */
  private readonly answering = new Set<Promise<void>>();

  /** Resolves once the callback answers sent so far are done (graceful stop, tests). */
  async drain(): Promise<void> {
    while (this.answering.size > 0) await Promise.all([...this.answering]);
  }
}
