import { Router, type RequestHandler } from 'express';
import { NotFoundError, type OrderRepository } from '../../../core/index.js';
import { toOutTradeNo } from '../../payments/wechat-pay/index.js';
import { HttpError } from '../errors.js';
import { toOrderDto } from './orders-routes.js';
import { sandboxPayRequest } from './schemas.js';
import { sessionOf } from './session-auth.js';

/** The sandbox's "the payer pays" step (what the WeChat app does after wx.requestPayment). */
export interface SandboxPayer {
  pay(outTradeNo: string): Promise<{ status: number; transactionId: string } | null>;
}

/**
 * `POST /sandbox/pay {orderId}` — only mounted with the payment sandbox (never in production): the
 * sandbox sends WeChat Pay's signed, encrypted notification for the session's own order to
 * `/mp/pay/notify`, and the order is answered as it stands afterwards.
 */
export function createSandboxPayRouter(deps: { sandbox: SandboxPayer; orders: OrderRepository }, requireSession: RequestHandler): Router {
  const router = Router();
  router.post('/sandbox/pay', requireSession, async (req, res) => {
    const { orderId } = sandboxPayRequest.parse(req.body);
    const order = await deps.orders.findById(orderId);
    if (!order || order.followerId !== sessionOf(res).followerId || order.provider !== 'sandbox') throw new NotFoundError('order_not_found', `No sandbox order ${orderId} of yours.`);
    const paid = await deps.sandbox.pay(toOutTradeNo(order.id));
    if (!paid) throw new NotFoundError('prepay_not_found', `Order ${orderId} has no sandbox prepay; create it with POST /mp/orders first.`);
    if (paid.status >= 300) throw new HttpError(502, 'notification_refused', `/mp/pay/notify answered ${paid.status} to the sandbox notification.`);
    res.json(toOrderDto((await deps.orders.findById(orderId))!));
  });
  return router;
}
