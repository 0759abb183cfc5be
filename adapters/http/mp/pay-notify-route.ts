import type { KeyObject } from 'node:crypto';
import { Router, type Response } from 'express';
import { confirmPayment, ConflictError, NotFoundError, ValidationError, type Clock, type CoreMetrics, type Logger, type Order, type OrderRepository, type RiskMonitor, type UnitOfWork } from '../../../core/index.js';
import { fromOutTradeNo, verifyNotification } from '../../payments/wechat-pay/index.js';

export interface PayNotifyDeps {
  /** Unset when WeChat Pay is not configured: notifications are answered 503. */
  keys: { platformPublicKey: KeyObject; platformSerial?: string; apiV3Key: string; mchId: string; appId: string } | undefined;
  /** The provider whose orders these notifications pay (`sandbox` with the local sandbox). */
  provider: 'wechat_pay' | 'sandbox';
  uow: UnitOfWork;
  clock: Clock;
  metrics?: CoreMetrics;
  orders: OrderRepository;
  notifications: { hasSeen(nonce: string): Promise<boolean>; remember(nonce: string, notificationId: string, orderId: string | null, at: Date): Promise<void> };
  logger: Logger;
  /**
   * After an order is newly paid (not on a redelivery): delivers the course to the buyer in chat.
   * Its failure is logged and does not fail the notification: the order is paid either way, and
   * the buyer finds the course in the mini-program.
   */
  onPaid?: (order: Order) => Promise<void>;
  /** Told of payments that fail verification against their order (a risk signal). */
  risk?: RiskMonitor;
}

/** WeChat Pay's expected failure answer; it retries on anything but 2xx. */
function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ code: 'FAIL', message });
}

/**
 * `POST /pay/notify` — WeChat Pay's payment result. Verified (signature over the raw body, fresh
 * timestamp, decrypted resource, our merchant and app), then the order is confirmed exactly once
 * through the core. Success is 204 with no body; a byte-for-byte replay, a forgery or a wrong
 * amount is refused with `{ code: 'FAIL', message }` and changes nothing. A genuine redelivery
 * (new nonce, same transaction) is acknowledged again without changing anything.
 */
export function createPayNotifyRouter(deps: PayNotifyDeps): Router {
  const router = Router();
  router.post('/pay/notify', async (req, res) => {
    const log = deps.logger.child({ route: 'mp.pay.notify' });
    if (!deps.keys) return fail(res, 503, 'WeChat Pay is not configured on this server');
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const verdict = verifyNotification(
      deps.keys,
      { timestamp: header('wechatpay-timestamp'), nonce: header('wechatpay-nonce'), signature: header('wechatpay-signature'), serial: header('wechatpay-serial') },
      req.rawBody,
      deps.clock.now(),
    );
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason }, 'payment notification rejected');
      return fail(res, verdict.status, verdict.reason);
    }
    if (await deps.notifications.hasSeen(verdict.nonce)) {
      log.warn({ notificationId: verdict.notificationId }, 'replayed payment notification rejected');
      return fail(res, 409, 'replayed notification');
    }
    const tx = verdict.transaction;
    if (!tx) {
      log.info({ eventType: verdict.eventType }, 'payment notification of another type acknowledged');
      res.status(204).end();
      return;
    }
    const orderId = fromOutTradeNo(tx.out_trade_no);
    const order = orderId ? await deps.orders.findById(orderId) : null;
    if (!order) return fail(res, 400, `unknown out_trade_no ${tx.out_trade_no}`);
    if (tx.trade_state !== 'SUCCESS') return fail(res, 400, `trade_state ${tx.trade_state} is not SUCCESS`);
    if (tx.amount.currency !== 'CNY') return fail(res, 400, `currency ${tx.amount.currency} is not CNY`);
    try {
      const { order: paid, isNew } = await confirmPayment(
        { uow: deps.uow, clock: deps.clock, metrics: deps.metrics },
        {
          orderId: order.id,
          provider: deps.provider,
          providerChargeId: tx.transaction_id,
          amountMinor: tx.amount.total,
          currency: 'CNY',
          paidAt: tx.success_time && !Number.isNaN(Date.parse(tx.success_time)) ? new Date(tx.success_time) : undefined,
        },
      );
      await deps.notifications.remember(verdict.nonce, verdict.notificationId, order.id, deps.clock.now());
      log.info({ orderId: order.id, isNew }, isNew ? 'order paid' : 'payment notification redelivered; order already paid');
      // One coupon redeemed by accounts behind one device or unionid is a risk signal.
      if (isNew && paid.couponId) deps.risk?.observeCouponRedemption(paid.followerId, paid.couponId);
      if (isNew && deps.onPaid) await deps.onPaid(paid).catch((error: unknown) => log.error({ err: error, orderId: order.id }, 'paid order not delivered in chat; the buyer finds it in the mini-program'));
      res.status(204).end();
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ConflictError || error instanceof NotFoundError) {
        log.warn({ orderId: order.id, code: error.code }, 'payment notification refused');
        deps.risk?.observePaymentFailure(order.followerId, error.code, deps.clock.now());
        return fail(res, error instanceof ConflictError ? 409 : 400, error.message);
      }
      // Answered in WeChat's shape, not ours, so WeChat retries later.
      log.error({ err: error, orderId: order.id }, 'payment notification failed');
      return fail(res, 500, 'internal error; retry later');
    }
  });
  return router;
}
