import type { KeyObject } from 'node:crypto';
import type { Express } from 'express';
import { createMpRouter, HttpWechatApiClient, type MpRouterDeps } from '../../../adapters/http/mp/index.js';
import { buildRecommender } from '../../../bots/wire-recommender.js';
import { createLogger, createMetrics, type Mount } from '../../../adapters/index.js';
import { WechatPayClient, WechatPayGateway } from '../../../adapters/payments/wechat-pay/index.js';
import { WechatVirtualGateway } from '../../../adapters/payments/wechat-virtual/index.js';
import { createStarsRefundRouter } from '../../../adapters/telegram/index.js';
import { PgMpSessionKeys } from '../../../models/repositories/pg-mp-session-keys.js';
import type { Clock, Recommender, Repositories, RiskMonitor } from '../../../core/index.js';
import { createRepositories, PgUnitOfWork, type Database } from '../../../models/index.js';
import { PgMpPayNotificationLog } from '../../../models/repositories/pg-mp-pay-notification-log.js';
import { createTestApp } from '../../support/http.js';
import { APIV3_KEY, APP_ID, MCH_ID, MCH_SERIAL, PLATFORM_SERIAL } from './wechat-fakes.js';

export const SESSION_SECRET = 'test-mp-session-secret-0123456789abcdef';

export interface MpAppOptions {
  clock: Clock;
  code2SessionBase?: string;
  pay?: { apiBase: string; merchantPrivateKey: KeyObject; platformPublicKey: KeyObject };
  eventsPerMinute?: number;
  onPaid?: MpRouterDeps['onPaid'];
  /** The risk scorer, attached to the event path as the processes attach it. */
  risk?: RiskMonitor;
  /** WeChat virtual payment against a stand-in of its server APIs; also mounts the admin refund route. */
  virtual?: { apiBase: string; appKey: string; pushToken: string };
  /** The recommender to serve from (e.g. one the test also mounts experiment routes for); a fresh buildRecommender otherwise. */
  recommender?: Recommender;
  /** More mounts on the same app (e.g. /api routers). */
  mounts?: Mount[];
}

/** The real express app with /mp mounted as the all-in-one process mounts it, over a test database. */
export function createMpTestApp(database: Database, options: MpAppOptions): { app: Express; repos: Repositories } {
  const repos = createRepositories(database.db);
  const uow = new PgUnitOfWork(database.db);
  const metrics = createMetrics();
  const wechat = options.code2SessionBase ? new HttpWechatApiClient({ apiBase: options.code2SessionBase, appId: APP_ID, appSecret: 'app-secret' }) : undefined;
  const payment = options.pay
    ? (() => {
        const creds = {
          apiBase: options.pay.apiBase, appId: APP_ID, mchId: MCH_ID, mchSerial: MCH_SERIAL, privateKey: options.pay.merchantPrivateKey,
          platformPublicKey: options.pay.platformPublicKey, platformSerial: PLATFORM_SERIAL, apiV3Key: APIV3_KEY, notifyUrl: 'https://example.com/mp/pay/notify',
        };
        return {
          gateway: new WechatPayGateway(new WechatPayClient(creds, options.clock), options.clock, (o) => `课程 ${o.courseId.slice(0, 8)}`),
          keys: { platformPublicKey: creds.platformPublicKey, platformSerial: PLATFORM_SERIAL, apiV3Key: APIV3_KEY, mchId: MCH_ID, appId: APP_ID },
        };
      })()
    : undefined;
  const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
  const virtualPayment = options.virtual
    ? (() => {
        const sessionKeys = new PgMpSessionKeys(database.db);
        const openIdOf = (followerId: string) => repos.followers.externalIdOf(followerId, 'mp_openid');
        const gateway = new WechatVirtualGateway(
          { apiBase: options.virtual.apiBase, appId: APP_ID, appSecret: 'app-secret', offerId: '1450000001', appKey: options.virtual.appKey, env: 1 },
          { sessionKeyOf: (openId) => sessionKeys.sessionKeyOf(openId), openIdOf, productIdOf: async (order) => (await repos.courses.findById(order.courseId))!.slug },
          options.clock,
        );
        return { gateway, sessionKeys, openIdOf, pushToken: options.virtual.pushToken };
      })()
    : undefined;
  const router = createMpRouter({
    uow,
    clock: options.clock,
    logger,
    metrics: metrics.core,
    repos,
    recordEventsDeps: { uow, clock: options.clock, metrics: metrics.core, ...(options.risk ? { risk: options.risk } : {}) },
    recommender: options.recommender ?? buildRecommender({ db: database.db, repos, clock: options.clock, logger }).recommender,
    session: { secret: SESSION_SECRET, ttlSeconds: 3600, eventsPerMinute: options.eventsPerMinute ?? 120 },
    wechat,
    payment,
    notifications: new PgMpPayNotificationLog(database.db),
    ...(options.onPaid ? { onPaid: options.onPaid } : {}),
    ...(virtualPayment ? { virtualPayment } : {}),
  });
  const refunds = virtualPayment
    ? [{ path: '/api/orders', access: 'admin' as const, router: createStarsRefundRouter({ repos, uow, clock: options.clock, provider: 'wechat_virtual', gatewayFor: async () => virtualPayment.gateway }) }]
    : [];
  const { app } = createTestApp(database, { clock: options.clock, mounts: [{ path: '/mp', router, access: 'public' }, ...refunds, ...(options.mounts ?? [])] });
  return { app, repos };
}
