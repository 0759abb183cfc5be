import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { confirmPayment, ConflictError, NotFoundError, ValidationError, type Clock, type CoreMetrics, type Logger, type Order, type OrderRepository, type RiskMonitor, type UnitOfWork } from '../../../core/index.js';
import { isGenuinePush, type VirtualOrderState } from '../../payments/wechat-virtual/index.js';
import { fromOutTradeNo, WechatPayError } from '../../payments/wechat-pay/index.js';

export interface XpayNotifyDeps {
  /** The message-push token set in the mini-program admin (WECHAT_PUSH_TOKEN). */
  pushToken: string;
  gateway: { queryOrder(openId: string, orderId: string): Promise<VirtualOrderState> };
  /** The follower's mini-program openid: a push must name the order's own buyer. */
  openIdOf(followerId: string): Promise<string | null>;
  uow: UnitOfWork;
  clock: Clock;
  metrics?: CoreMetrics;
  orders: OrderRepository;
  logger: Logger;
  onPaid?: (order: Order) => Promise<void>;
  risk?: RiskMonitor;
}

/** `xpay_goods_deliver_notify` in JSON message-push mode (the fields this route reads). */
const deliverNotify = z.object({
  Event: z.literal('xpay_goods_deliver_notify'),
  OpenId: z.string().min(1),
  OutTradeNo: z.string().min(1),
  Env: z.number().int().optional(),
  WeChatPayInfo: z.object({ MchOrderNo: z.string().optional(), TransactionId: z.string().optional(), PaidTime: z.number().int().optional() }).loose().optional(),
  GoodsInfo: z.object({ ProductId: z.string().optional(), Quantity: z.number().int().optional(), OrigPrice: z.number().int().optional(), ActualPrice: z.number().int() }).loose(),
}).loose();

const pushQuery = (req: Request) => ({
  signature: typeof req.query['signature'] === 'string' ? req.query['signature'] : undefined,
  timestamp: typeof req.query['timestamp'] === 'string' ? req.query['timestamp'] : undefined,
  nonce: typeof req.query['nonce'] === 'string' ? req.query['nonce'] : undefined,
});

/** WeChat's answer shape for virtual-payment pushes: ErrCode 0 acknowledges; anything else is retried. */
function answer(res: Response, status: number, errCode: number, message: string): void {
  res.status(status).json({ ErrCode: errCode, ErrMsg: message });
}

/**
 * `GET|POST /xpay/notify` — the mini-program's message-push URL for WeChat virtual payment. GET is
 * WeChat's URL check (echoes `echostr` when the signature is right). POST `xpay_goods_deliver_notify`
 * is believed only when its signature is right, it is fresh, it names the order's own buyer and
 * WeChat's order query (signed with the AppKey) says the order is paid for the same amount; then the
 * order is confirmed exactly once through the core and the course delivered. Other events are
 * acknowledged. Redeliveries answer success again without changing anything.
 */
export function createXpayNotifyRouter(deps: XpayNotifyDeps): Router {
  const router = Router();
  router.get('/xpay/notify', (req, res) => {
    if (!isGenuinePush(deps.pushToken, pushQuery(req), deps.clock.now(), Number.POSITIVE_INFINITY)) return answer(res, 401, 1, 'bad signature');
    res.type('text/plain').send(String(req.query['echostr'] ?? ''));
  });
  router.post('/xpay/notify', async (req, res) => {
    const log = deps.logger.child({ route: 'mp.xpay.notify' });
    if (!isGenuinePush(deps.pushToken, pushQuery(req), deps.clock.now())) {
      log.warn({ reason: 'signature' }, 'virtual payment push with a bad or stale signature rejected');
      return answer(res, 401, 1, 'bad signature');
    }
    const event = typeof req.body?.Event === 'string' ? (req.body.Event as string) : '';
    if (event !== 'xpay_goods_deliver_notify') {
      log.info({ event }, 'virtual payment push of another kind acknowledged');
      return answer(res, 200, 0, 'success');
    }
    const parsed = deliverNotify.safeParse(req.body);
    if (!parsed.success) return answer(res, 400, 1, 'malformed xpay_goods_deliver_notify');
    const push = parsed.data;
    const orderId = fromOutTradeNo(push.OutTradeNo);
    const order = orderId ? await deps.orders.findById(orderId) : null;
    if (!order || order.provider !== 'wechat_virtual') return answer(res, 400, 1, `unknown OutTradeNo ${push.OutTradeNo}`);
    const buyerOpenId = await deps.openIdOf(order.followerId);
    if (buyerOpenId !== push.OpenId) {
      deps.risk?.observePaymentFailure(order.followerId, 'payer_mismatch', deps.clock.now());
      return answer(res, 400, 1, 'the push names another payer than the order');
    }
    let state: VirtualOrderState;
    try {
      state = await deps.gateway.queryOrder(push.OpenId, order.id);
    } catch (error) {
      const status = error instanceof WechatPayError ? 503 : 500;
      log.error({ err: error, orderId: order.id }, 'virtual payment order query failed; WeChat will push again');
      return answer(res, status, 1, 'order query failed; retry later');
    }
    if (!state.isPaid) {
      deps.risk?.observePaymentFailure(order.followerId, 'not_paid', deps.clock.now());
      return answer(res, 400, 1, `WeChat reports the order in state ${state.status}, not paid`);
    }
    try {
      const { order: paid, isNew } = await confirmPayment(
        { uow: deps.uow, clock: deps.clock, metrics: deps.metrics },
        {
          orderId: order.id,
          provider: 'wechat_virtual',
          providerChargeId: push.WeChatPayInfo?.TransactionId ?? state.wxOrderId ?? push.OutTradeNo,
          amountMinor: state.paidFen ?? push.GoodsInfo.ActualPrice,
          currency: 'CNY',
          ...(push.WeChatPayInfo?.PaidTime ? { paidAt: new Date(push.WeChatPayInfo.PaidTime * 1000) } : {}),
        },
      );
      log.info({ orderId: order.id, isNew }, isNew ? 'order paid (virtual payment)' : 'virtual payment push redelivered; order already paid');
      if (isNew && deps.onPaid) await deps.onPaid(paid).catch((error: unknown) => log.error({ err: error, orderId: order.id }, 'paid order not delivered in chat; the buyer finds it in the mini-program'));
      answer(res, 200, 0, 'success');
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ConflictError || error instanceof NotFoundError) {
        log.warn({ orderId: order.id, code: error.code }, 'virtual payment push refused');
        deps.risk?.observePaymentFailure(order.followerId, error.code, deps.clock.now());
        return answer(res, error instanceof ConflictError ? 409 : 400, 1, error.message);
      }
      log.error({ err: error, orderId: order.id }, 'virtual payment push failed');
      answer(res, 500, 1, 'internal error; retry later');
    }
  });
  return router;
}
