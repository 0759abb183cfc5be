import { Router } from 'express';
import type { Clock, CoreMetrics, CourseRepository, EntitlementRepository, FollowerRepository, Logger, OrderRepository, PaymentGateway, RecordEventsDeps, Recommender, UnitOfWork } from '../../../core/index.js';
import { createCatalogueRouter } from './catalogue-routes.js';
import { createMpEventsRouter } from './events-route.js';
import { createLoginRouter, type LoginDeps } from './login-route.js';
import { mpOpenApiDocument } from './openapi.js';
import { createOrdersRouter } from './orders-routes.js';
import { createPayNotifyRouter, type PayNotifyDeps } from './pay-notify-route.js';
import { createReferralRouter } from './referral-route.js';
import { WindowRateLimiter } from './rate-limiter.js';
import { createSandboxPayRouter, type SandboxPayer } from './sandbox-pay-route.js';
import { requireMpSession } from './session-auth.js';
import type { WechatApiClient } from './wechat-api-client.js';
import { createXpayNotifyRouter, type XpayNotifyDeps } from './xpay-notify-route.js';

export interface MpRouterDeps {
  uow: UnitOfWork;
  clock: Clock;
  logger: Logger;
  metrics?: CoreMetrics;
  repos: { courses: CourseRepository; entitlements: EntitlementRepository; orders: OrderRepository; followers: Pick<FollowerRepository, 'findById'> };
  recordEventsDeps: RecordEventsDeps;
  recommender: Recommender;
  session: { secret: string; ttlSeconds: number; eventsPerMinute: number };
  /** Unset without WECHAT_APP_ID/WECHAT_APP_SECRET: login answers 503. */
  wechat: WechatApiClient | undefined;
  /** Unset without WeChat Pay settings: orders and notifications answer 503. */
  payment: { gateway: PaymentGateway; keys: NonNullable<PayNotifyDeps['keys']> } | undefined;
  notifications: PayNotifyDeps['notifications'];
  /**
   * WeChat virtual payment (WECHAT_VIRTUAL_*): when set, mini-program orders are paid with it
   * (WeChat requires it for virtual goods), logins keep their session_key for its signature, and
   * `/xpay/notify` takes its pushes.
   */
  virtualPayment?: Omit<XpayNotifyDeps, 'uow' | 'clock' | 'metrics' | 'orders' | 'logger' | 'onPaid' | 'risk'> & {
    gateway: PaymentGateway & XpayNotifyDeps['gateway'];
    sessionKeys: NonNullable<LoginDeps['sessionKeys']>;
  };
  /** The payment sandbox (development and tests only): adds `POST /sandbox/pay`. */
  sandbox?: SandboxPayer;
  /** Runs once per newly paid order: the lessons go to the buyer's WeChat chat. */
  onPaid?: PayNotifyDeps['onPaid'];
}

/**
 * The mini-program API, mounted publicly at /mp: its own session auth, catalogue,
 * recommendations, tracking, orders, WeChat Pay notifications and /openapi.json.
 *
 * @example
 * wiring.mounts.push({ path: '/mp', router: createMpRouter(deps), access: 'public' });
 */
export function createMpRouter(deps: MpRouterDeps): Router {
  const router = Router();
  const requireSession = requireMpSession(deps.session.secret, deps.clock);
  const document = mpOpenApiDocument('/mp');
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  const risk = deps.recordEventsDeps.risk;
  router.use(
    createLoginRouter({
      wechat: deps.wechat, uow: deps.uow, clock: deps.clock, sessionSecret: deps.session.secret, sessionTtlSeconds: deps.session.ttlSeconds,
      ...(risk ? { risk } : {}), ...(deps.virtualPayment ? { sessionKeys: deps.virtualPayment.sessionKeys } : {}),
    }),
  );
  router.use(createCatalogueRouter({ courses: deps.repos.courses, recommender: deps.recommender, followers: deps.repos.followers }, requireSession));
  router.use(createMpEventsRouter({ recordEventsDeps: deps.recordEventsDeps, limiter: new WindowRateLimiter(deps.clock, deps.session.eventsPerMinute, 60_000) }, requireSession));
  // Virtual payment, when configured, pays for mini-program orders (WeChat requires it for virtual goods).
  const gateway = deps.virtualPayment?.gateway ?? deps.payment?.gateway;
  router.use(createOrdersRouter({ uow: deps.uow, clock: deps.clock, orders: deps.repos.orders, gateway, ...(risk ? { risk } : {}) }, requireSession));
  router.use(
    createPayNotifyRouter({
      keys: deps.payment?.keys, provider: deps.payment?.gateway.provider === 'sandbox' ? 'sandbox' : 'wechat_pay', uow: deps.uow, clock: deps.clock, metrics: deps.metrics,
      orders: deps.repos.orders, notifications: deps.notifications, logger: deps.logger,
      ...(deps.onPaid ? { onPaid: deps.onPaid } : {}),
      ...(risk ? { risk } : {}),
    }),
  );
  if (deps.virtualPayment) {
    const { pushToken, gateway, openIdOf } = deps.virtualPayment;
    router.use(createXpayNotifyRouter({
      pushToken, gateway, openIdOf, uow: deps.uow, clock: deps.clock, metrics: deps.metrics, orders: deps.repos.orders, logger: deps.logger,
      ...(deps.onPaid ? { onPaid: deps.onPaid } : {}), ...(risk ? { risk } : {}),
    }));
  }
  router.use(createReferralRouter({ uow: deps.uow }, requireSession));
  if (deps.sandbox) router.use(createSandboxPayRouter({ sandbox: deps.sandbox, orders: deps.repos.orders }, requireSession));
  return router;
}
