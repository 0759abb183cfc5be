import type { Update } from 'telegraf/types';
import {
  confirmPayment, courseTitle, handleInbound, recordEvents, ValidationError, ZhiliaoError,
  type CoreMetrics, type DialogDeps, type EventInput, type Logger, type Messenger,
} from '../../core/index.js';
import type { PgTelegramUpdateRepository } from '../../models/index.js';
import { translateUpdate, type TranslatedUpdate } from './translate-update.js';
import { validatePreCheckout } from './validate-pre-checkout.js';

/** The Bot API calls that answer queries (telegraf's `Telegram` has them). */
export interface QueryAnswerer {
  answerCbQuery(callbackQueryId: string, text?: string): Promise<unknown>;
  answerPreCheckoutQuery(preCheckoutQueryId: string, ok: boolean, errorMessage?: string): Promise<unknown>;
}

export interface UpdateProcessorDeps {
  dialog: DialogDeps;
  messenger: Messenger;
  updates: Pick<PgTelegramUpdateRepository, 'claim' | 'release'>;
  logger: Logger;
  metrics?: CoreMetrics;
  botId: string;
  botUsername?: string;
}

export type ProcessOutcome = 'processed' | 'duplicate' | 'ignored';

/** Pre-checkout queries must be answered within 10 s; leave room for the network. */
const PRE_CHECKOUT_BUDGET_MS = 8_000;

/**
 * Handles one Telegram update end to end: takes its update_id (a redelivery stops here), answers
 * callback and pre-checkout queries first (Telegram waits on them), records the update as events,
 * applies reachability and payments, asks the dialog and sends its replies through the messenger.
 * If processing fails the update_id is given back, so Telegram's redelivery is processed again.
 *
 * @example
 * const processor = new UpdateProcessor(deps);
 * bot.use((ctx) => processor.process(ctx.update, ctx.telegram));
 */
export class UpdateProcessor {
  constructor(private readonly deps: UpdateProcessorDeps) {}

  async process(update: Update, answerer: QueryAnswerer): Promise<ProcessOutcome> {
    const t = translateUpdate(update, { botId: this.deps.botId, ...(this.deps.botUsername ? { botUsername: this.deps.botUsername } : {}) });
    if (!t.identity) return 'ignored';
    if (!(await this.deps.updates.claim(this.deps.botId, t.updateId, t.kind))) {
      this.deps.logger.debug({ updateId: t.updateId }, 'telegram update already processed');
      return 'duplicate';
    }
    // The callback answer (it stops the button's spinner) goes out first but is not waited on
    // before the rest: it needs nothing from the database, and the update finishes only once it is done.
    const answered = t.callbackQueryId
      ? answerer.answerCbQuery(t.callbackQueryId).then(() => undefined, (error: unknown) => this.deps.logger.warn({ err: error }, 'answerCallbackQuery failed'))
      : undefined;
    try {
      if (t.preCheckout) await this.answerPreCheckout(t, answerer);
      const followerId = await this.recordAll(t.events);
      if (!followerId || !t.chat) return 'processed';
      if (t.isReachable !== undefined) await this.deps.dialog.repos.followers.update(followerId, { isReachable: t.isReachable });
      if (t.payment) await this.confirm(t, followerId);
      if (t.inbound) {
        const replies = await handleInbound(this.deps.dialog, { ...t.inbound, followerId });
        if (replies.length) await this.deps.messenger.send({ followerId, chatId: t.chat.id }, replies, { purpose: 'transactional' });
      }
      return 'processed';
    } catch (error) {
      await this.deps.updates.release(this.deps.botId, t.updateId).catch(() => undefined);
      throw error;
    } finally {
      await answered;
    }
  }

  /** Records the update's events; a course id that no longer exists is dropped rather than losing the event. */
  private async recordAll(events: EventInput[]): Promise<string | undefined> {
    if (events.length === 0) return undefined;
    try {
      const [result] = await recordEvents(this.deps.dialog.recordEventsDeps, events);
      return result && 'followerId' in result ? result.followerId : undefined;
    } catch (error) {
      if (!(error instanceof ValidationError) || !events.some((e) => e.courseId)) throw error;
      const [result] = await recordEvents(this.deps.dialog.recordEventsDeps, events.map(({ courseId: _dropped, ...rest }) => rest));
      return result && 'followerId' in result ? result.followerId : undefined;
    }
  }

  private async answerPreCheckout(t: TranslatedUpdate, answerer: QueryAnswerer): Promise<void> {
    const query = t.preCheckout!;
    let verdict: { ok: true } | { ok: false; message: string };
    try {
      verdict = await Promise.race([
        validatePreCheckout(this.deps.dialog, { telegramUserId: t.identity!.externalId, locale: t.identity!.locale, ...query }),
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
    if (!payment.orderId || payment.currency !== 'XTR') {
      this.deps.logger.error({ updateId: t.updateId, invoicePayload: payment.invoicePayload }, 'successful_payment for an invoice we did not issue');
      return;
    }
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
      // The money moved but the order disagrees: keep the charge id in the log for a manual refund.
      if (error instanceof ZhiliaoError) {
        this.deps.logger.error({ code: error.code, orderId: payment.orderId, chargeId: payment.chargeId }, 'successful_payment refused by the order');
        return;
      }
      throw error;
    }
  }
}
