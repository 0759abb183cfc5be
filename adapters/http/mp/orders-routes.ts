import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import {
  cancelPendingOrder, createPendingOrder, NotFoundError, riskText, type Clock, type RiskMonitor, type Order, type OrderRepository, type PaymentGateway, type UnitOfWork,
} from '../../../core/index.js';
import { WechatPayError } from '../../payments/wechat-pay/index.js';
import { HttpError } from '../errors.js';
import { cancelOrderRequest, createOrderRequest, requestPaymentParams, virtualPaymentParams, type createOrderResponse, type heldOrderResponse, type orderDto } from './schemas.js';
import { sessionOf } from './session-auth.js';

export interface OrdersDeps {
  uow: UnitOfWork;
  clock: Clock;
  orders: OrderRepository;
  /** Unset when WeChat Pay is not configured: creating orders then answers 503. */
  gateway: PaymentGateway | undefined;
  /** The risk scorer: a follower under review gets their order held, not a prepay. */
  risk?: RiskMonitor;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toOrderDto(order: Order): z.infer<typeof orderDto> {
  return {
    id: order.id,
    courseId: order.courseId,
    amount: { amountMinor: order.amountMinor, currency: order.currency },
    originalAmount: order.originalAmountMinor === null ? null : { amountMinor: order.originalAmountMinor, currency: order.currency },
    provider: order.provider,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt ? order.paidAt.toISOString() : null,
  };
}

/**
 * `POST /orders` opens (or reuses, within 30 minutes) a pending order and a WeChat Pay JSAPI
 * prepay, answering the parameters for `wx.requestPayment`; `GET /orders/:id` shows one of the
 * session's own orders.
 */
export function createOrdersRouter(deps: OrdersDeps, requireSession: RequestHandler): Router {
  const router = Router();
  router.post('/orders', requireSession, async (req, res) => {
    const body = createOrderRequest.parse(req.body);
    const session = sessionOf(res);
    const gateway = deps.gateway;
    if (!gateway) {
      throw new HttpError(503, 'wechat_pay_not_configured', 'WeChat Pay is not configured: set WECHAT_PAY_MCH_ID, WECHAT_PAY_MCH_SERIAL, WECHAT_PAY_PRIVATE_KEY_PATH, WECHAT_PAY_PLATFORM_CERT_PATH, WECHAT_PAY_APIV3_KEY and WECHAT_PAY_NOTIFY_URL');
    }
    // A virtual-payment 道具 has one price, set in the mini-program admin: no coupon can lower it.
    if (gateway.provider === 'wechat_virtual' && body.couponCode) {
      throw new HttpError(400, 'coupon_not_available', 'Coupons cannot be used with WeChat virtual payment: the course is sold at its listed price.');
    }
    const { order, isNew } = await createPendingOrder(
      { uow: deps.uow, clock: deps.clock },
      { followerId: session.followerId, courseId: body.courseId, provider: gateway.provider, ...(body.couponCode ? { couponCode: body.couponCode } : {}) },
    );
    if (deps.risk?.isUnderReview(session.followerId)) {
      await deps.risk.holdCheckout(order.id, session.followerId);
      const follower = await deps.uow.repos.followers.findById(session.followerId);
      const held: z.infer<typeof heldOrderResponse> = { order: toOrderDto(order), review: { message: riskText(follower?.locale ?? 'zh-CN').orderUnderReview } };
      res.status(202).json(held);
      return;
    }
    let start;
    try {
      start = await gateway.startPayment(order, { followerId: session.followerId, externalId: session.openId });
    } catch (error) {
      if (error instanceof WechatPayError) throw new HttpError(error.status, error.code, `${error.message} The order ${order.id} stays pending; try again.`);
      throw error;
    }
    if (start.kind === 'telegram_invoice') throw new Error(`unexpected payment start ${start.kind} for the mini-program`);
    const payment = start.kind === 'wechat_jsapi' ? requestPaymentParams.parse(start.params) : virtualPaymentParams.parse(start.params);
    const answer: z.infer<typeof createOrderResponse> = { order: toOrderDto(order), payment };
    res.status(isNew ? 201 : 200).json(answer);
  });

  // The payment failed or the payer closed wx.requestPayment: the order ends and its coupon is free again.
  router.post('/orders/:id/cancel', requireSession, async (req, res) => {
    const id = String(req.params['id']);
    const { reason } = cancelOrderRequest.parse(req.body ?? {});
    if (!uuidPattern.test(id)) throw new NotFoundError('order_not_found', `No order ${id} of yours.`);
    res.json(toOrderDto(await cancelPendingOrder({ uow: deps.uow, clock: deps.clock }, { orderId: id, followerId: sessionOf(res).followerId, reason })));
  });

  router.get('/orders/:id', requireSession, async (req, res) => {
    const id = String(req.params['id']);
    const order = uuidPattern.test(id) ? await deps.orders.findById(id) : null;
    // Someone else's order is reported as missing, so ids cannot be probed.
    if (!order || order.followerId !== sessionOf(res).followerId) throw new NotFoundError('order_not_found', `No order ${id} of yours.`);
    res.json(toOrderDto(order));
  });
  return router;
}
