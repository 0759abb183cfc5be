import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { canManageCourse, refundOrder, type Clock, type Order, type PaymentGateway, type Repositories, type RiskMonitor, type UnitOfWork } from '../../core/index.js';
import { principalOf } from '../http/auth/console-auth.js';
import { HttpError } from '../http/errors.js';

function isSecretValid(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const updateShape = z.looseObject({ update_id: z.number().int().nonnegative() });

/**
 * The webhook endpoint Telegram posts updates to (a public mount). The secret set with
 * `setWebhook(secret_token)` must come back in `X-Telegram-Bot-Api-Secret-Token`; anything else
 * gets 401 and is not processed.
 *
 * @example
 * mounts.push({ path: '/telegram/webhook', router: createTelegramWebhookRouter({ secret, handleUpdate: (u) => bot.handleUpdate(u) }), access: 'public' });
 */
export function createTelegramWebhookRouter(deps: { secret: string; handleUpdate(update: z.infer<typeof updateShape>): Promise<unknown> }): Router {
  const router = Router();
  router.post('/', async (req: Request, res) => {
    if (!isSecretValid(req.get('x-telegram-bot-api-secret-token'), deps.secret)) {
      throw new HttpError(401, 'bad_webhook_secret', 'X-Telegram-Bot-Api-Secret-Token is missing or wrong; it must equal TELEGRAM_WEBHOOK_SECRET.');
    }
    const update = updateShape.parse(req.body);
    await deps.handleUpdate(update);
    res.status(200).json({ ok: true });
  });
  return router;
}

const refundBody = z.object({ reason: z.string().trim().min(1).max(500).default('refund by admin') });

/**
 * `POST /api/orders/:id/refund` for Telegram Stars orders: refunds the Stars with
 * `refundStarPayment`, then marks the order refunded and revokes the course. Orders of other
 * providers pass through to the next router. Only an admin, or the creator who owns the order's
 * course, may refund; anyone else gets the same 404 as for an unknown order, so order ids cannot
 * be probed. The audit entry names the caller.
 *
 * @example
 * mounts.push({ path: '/api/orders', router: createStarsRefundRouter({ repos, uow, clock, provider: 'telegram_stars', gatewayFor }), access: 'admin' });
 */
export function createStarsRefundRouter(deps: {
  repos: Pick<Repositories, 'orders' | 'courses'>;
  uow: UnitOfWork;
  clock: Clock;
  provider: PaymentGateway['provider'];
  /** The gateway for one order (it needs the payer's Telegram user id). */
  gatewayFor(order: Order): Promise<PaymentGateway>;
  /** The risk scorer, told of each refund. */
  risk?: RiskMonitor;
}): Router {
  const router = Router();
  router.post('/:id/refund', async (req, res, next) => {
    const id = z.uuid().safeParse(req.params['id']);
    if (!id.success) throw new HttpError(404, 'order_not_found', `No order ${String(req.params['id'])}.`);
    const principal = principalOf(req);
    const order = await deps.repos.orders.findById(id.data);
    const course = order ? await deps.repos.courses.findById(order.courseId) : null;
    if (!order || !canManageCourse(principal, course?.creatorId ?? null)) {
      throw new HttpError(404, 'order_not_found', `No order ${id.data}.`);
    }
    if (order.provider !== deps.provider) return next();
    const { reason } = refundBody.parse(req.body ?? {});
    const gateways = new Map([[deps.provider, await deps.gatewayFor(order)]]);
    const refunded = await refundOrder({ uow: deps.uow, clock: deps.clock, gateways, ...(deps.risk ? { risk: deps.risk } : {}) }, { orderId: order.id, actor: principal.actor, reason });
    res.status(200).json({ order: refunded });
  });
  return router;
}
