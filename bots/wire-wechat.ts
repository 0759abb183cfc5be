import { createPrivateKey } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WechatyBuilder, type PuppetModuleName } from 'wechaty';
import { createMpRouter, HttpWechatApiClient, type MpRouterDeps } from '../adapters/http/mp/index.js';
import { createWechatChannel, createWechatLoginQrRouter, type WechatReplyOutbox } from '../adapters/wechat/index.js';
import { createStarsRefundRouter } from '../adapters/telegram/index.js';
import { platformPublicKey, WechatPayClient, WechatPayGateway } from '../adapters/payments/wechat-pay/index.js';
import { SandboxWechatPay } from '../adapters/payments/sandbox/index.js';
import { WechatVirtualGateway } from '../adapters/payments/wechat-virtual/index.js';
import {
  courseTitle, deliverPaidCourse, type ChatLearning, type Clock, type CourseRepository, type FollowerRepository, type Order, type PaidCourseDeliveryDeps, type Recommender,
} from '../core/index.js';
import { loadIntentModel } from '../core/understanding/index.js';
import { PgMpPayNotificationLog } from '../models/repositories/pg-mp-pay-notification-log.js';
import { PgMpSessionKeys } from '../models/repositories/pg-mp-session-keys.js';
import { resolveGeneratedSecret } from './admin-token.js';
import type { WechatConfig } from './config/wechat.js';
import type { CoreContext } from './core-context.js';
import type { Wiring } from './wiring.js';

/**
 * The mini-program session secret: MP_SESSION_SECRET when set; otherwise one generated on first
 * start into `<DATA_DIR>/mp-session-secret` (mode 600), so sessions survive restarts.
 */
export async function resolveMpSessionSecret(configured: string | undefined, dataDir: string): Promise<{ secret: string; source: string }> {
  return resolveGeneratedSecret({ configured, variable: 'MP_SESSION_SECRET', dataDir, file: 'mp-session-secret', bytes: 32 });
}

const PAY_VARIABLES = {
  WECHAT_APP_ID: (c: WechatConfig) => c.miniProgram.appId,
  WECHAT_PAY_MCH_ID: (c: WechatConfig) => c.pay.mchId,
  WECHAT_PAY_MCH_SERIAL: (c: WechatConfig) => c.pay.mchSerial,
  WECHAT_PAY_PRIVATE_KEY_PATH: (c: WechatConfig) => c.pay.privateKeyPath,
  WECHAT_PAY_PLATFORM_CERT_PATH: (c: WechatConfig) => c.pay.platformCertPath,
  WECHAT_PAY_APIV3_KEY: (c: WechatConfig) => c.pay.apiV3Key,
  WECHAT_PAY_NOTIFY_URL: (c: WechatConfig) => c.pay.notifyUrl,
};

/** WeChat Pay from config: undefined when no merchant is configured; throws naming what is missing when half is. */
export async function loadWechatPay(config: WechatConfig, clock: Clock, courses: CourseRepository): Promise<MpRouterDeps['payment']> {
  const missing = Object.entries(PAY_VARIABLES).filter(([, get]) => !get(config)).map(([name]) => name);
  if (!config.pay.mchId && missing.length > 0) return undefined;
  if (missing.length > 0) throw new Error(`WeChat Pay is half configured: also set ${missing.join(', ')} (or unset WECHAT_PAY_MCH_ID).`);
  const readPem = async (file: string, variable: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
  };
  const privateKey = createPrivateKey(await readPem(config.pay.privateKeyPath!, 'WECHAT_PAY_PRIVATE_KEY_PATH'));
  const publicKey = platformPublicKey(await readPem(config.pay.platformCertPath!, 'WECHAT_PAY_PLATFORM_CERT_PATH'));
  const creds = {
    apiBase: config.pay.apiBase,
    appId: config.miniProgram.appId!,
    mchId: config.pay.mchId!,
    mchSerial: config.pay.mchSerial!,
    privateKey,
    platformPublicKey: publicKey,
    platformSerial: config.pay.platformSerial,
    apiV3Key: config.pay.apiV3Key!,
    notifyUrl: config.pay.notifyUrl!,
  };
  const titles = new Map<string, string>();
  const gateway = new WechatPayGateway(new WechatPayClient(creds, clock), clock, (order) => titles.get(order.courseId) ?? `Course ${order.courseId.slice(0, 8)}`);
  // Descriptions on the WeChat receipt: the course title, looked up once per course.
  const withTitles: MpRouterDeps['payment'] = {
    gateway: {
      provider: gateway.provider,
      startPayment: async (order, payer) => {
        const course = await courses.findById(order.courseId);
        if (course) titles.set(course.id, courseTitle(course, 'zh-CN'));
        return gateway.startPayment(order, payer);
      },
      refund: (order, reason) => gateway.refund(order, reason),
    },
    keys: { platformPublicKey: publicKey, platformSerial: config.pay.platformSerial, apiV3Key: creds.apiV3Key, mchId: creds.mchId, appId: creds.appId },
  };
  return withTitles;
}

/** WeChat virtual payment when WECHAT_VIRTUAL_OFFER_ID is set; refuses a half configuration. */
function loadVirtualPayment(ctx: CoreContext): NonNullable<MpRouterDeps['virtualPayment']> | undefined {
  const { virtual, miniProgram } = ctx.config.wechat;
  if (!virtual.offerId) return undefined;
  const missing = Object.entries({
    WECHAT_VIRTUAL_APP_KEY: virtual.appKey, WECHAT_PUSH_TOKEN: virtual.pushToken, WECHAT_APP_ID: miniProgram.appId, WECHAT_APP_SECRET: miniProgram.appSecret,
  }).filter(([, value]) => !value).map(([name]) => name);
  if (missing.length > 0) throw new Error(`WeChat virtual payment is half configured: also set ${missing.join(', ')} (or unset WECHAT_VIRTUAL_OFFER_ID).`);
  const sessionKeys = new PgMpSessionKeys(ctx.database.db);
  const openIdOf = (followerId: string) => ctx.repos.followers.externalIdOf(followerId, 'mp_openid');
  const gateway = new WechatVirtualGateway(
    { apiBase: miniProgram.apiBase, appId: miniProgram.appId!, appSecret: miniProgram.appSecret!, offerId: virtual.offerId, appKey: virtual.appKey!, env: virtual.env },
    {
      sessionKeyOf: (openId) => sessionKeys.sessionKeyOf(openId),
      openIdOf,
      productIdOf: async (order) => (await ctx.repos.courses.findById(order.courseId))?.slug ?? order.courseId,
    },
    ctx.clock,
  );
  return { gateway, sessionKeys, openIdOf, pushToken: virtual.pushToken! };
}

/**
 * The local WeChat Pay sandbox when no merchant is configured (WECHAT_PAY_SANDBOX=auto) or asked
 * for (true); refused with NODE_ENV=production, where it would take orders without real money.
 */
async function startPaymentSandbox(ctx: CoreContext, wiring: Wiring) {
  const mode = ctx.config.wechat.pay.sandbox;
  if (mode === 'false') return undefined;
  if (ctx.config.env === 'production') {
    if (mode === 'true') throw new Error('WECHAT_PAY_SANDBOX=true is refused with NODE_ENV=production: the sandbox takes orders without real money. Configure WECHAT_PAY_* instead.');
    return undefined;
  }
  const sandbox = new SandboxWechatPay(ctx.clock);
  const apiBase = await sandbox.start();
  wiring.services.push({ name: 'payment-sandbox', start: async () => {}, stop: () => sandbox.stop() });
  const port = ctx.config.http.port;
  const creds = sandbox.credentials(`http://127.0.0.1:${port}/mp/pay/notify`);
  const gateway = new WechatPayGateway(new WechatPayClient(creds, ctx.clock), ctx.clock, (order) => `Sandbox ${order.courseId.slice(0, 8)}`, 'sandbox');
  ctx.logger.warn({ apiBase }, 'WeChat Pay SANDBOX on: mini-program orders are paid with POST /mp/sandbox/pay, no real money moves');
  return { sandbox, apiBase, appId: sandbox.appId, payment: { gateway, keys: sandbox.notificationKeys } };
}

/**
 * Delivery of a WeChat Pay order in the buyer's WeChat chat (payment received, the lessons),
 * through the WeChat channel's durable reply queue.
 *
 * @example
 * createMpRouter({ ...deps, onPaid: wechatPaidDelivery({ learning: wiring.learning, followers: repos.followers, outbox }) });
 */
export function wechatPaidDelivery(deps: { learning: ChatLearning; followers: Pick<FollowerRepository, 'externalIdOf'>; outbox: PaidCourseDeliveryDeps['outbox'] }): (order: Order) => Promise<void> {
  const delivery: PaidCourseDeliveryDeps = {
    learning: deps.learning.deps, links: deps.learning.links, identityKind: 'wechat', chatOf: (followerId, kind) => deps.followers.externalIdOf(followerId, kind), outbox: deps.outbox,
  };
  return async (order) => {
    await deliverPaidCourse(delivery, order);
  };
}

/**
 * WeChat: the mini-program API at /mp (always; login and payment answer 503 until configured) and
 * the wechaty bot when WECHAT_BOT_ENABLED=true; then a newly paid WeChat Pay order sends the
 * buyer's lessons to their WeChat chat when the bot knows them (see {@link wechatPaidDelivery}).
 *
 * @example
 * await wireWechat(ctx, wiring);
 */
export async function wireWechat(ctx: CoreContext, wiring: Wiring): Promise<void> {
  const config = ctx.config.wechat;
  const { secret, source } = await resolveMpSessionSecret(config.miniProgram.sessionSecret, ctx.config.dataDir);
  ctx.logger.info({ from: source }, 'mini-program session secret loaded');
  const { appId, appSecret } = config.miniProgram;
  const configuredLogin = appId && appSecret ? new HttpWechatApiClient({ apiBase: config.miniProgram.apiBase, appId, appSecret }) : undefined;
  const real = await loadWechatPay(config, ctx.clock, ctx.repos.courses);
  const sandbox = real ? undefined : await startPaymentSandbox(ctx, wiring);
  const payment = real ?? sandbox?.payment;
  // Without WeChat login configured, the sandbox also stands in for code2session (any code logs in).
  const sandboxLogin = !appId && sandbox ? new HttpWechatApiClient({ apiBase: sandbox.apiBase, appId: sandbox.appId, appSecret: 'sandbox' }) : undefined;
  const recommender = ctx.recommender;
  const wechat = configuredLogin ?? sandboxLogin;
  const virtualPayment = loadVirtualPayment(ctx);
  // The bot first: a newly paid order is delivered through its reply queue.
  const bot = await wireWechatBot(ctx, wiring, recommender);
  wiring.mounts.push({
    path: '/mp',
    access: 'public',
    router: createMpRouter({
      uow: ctx.uow,
      clock: ctx.clock,
      logger: ctx.logger.child({ channel: 'miniprogram' }),
      metrics: ctx.metrics.core,
      repos: { courses: ctx.repos.courses, entitlements: ctx.repos.entitlements, orders: ctx.repos.orders, followers: ctx.repos.followers },
      recordEventsDeps: ctx.recordEventsDeps,
      recommender,
      session: { secret, ttlSeconds: config.miniProgram.sessionTtlSeconds, eventsPerMinute: config.miniProgram.eventsPerMinute },
      wechat,
      payment,
      notifications: new PgMpPayNotificationLog(ctx.database.db),
      ...(sandbox ? { sandbox: sandbox.sandbox } : {}),
      ...(virtualPayment ? { virtualPayment } : {}),
      ...(bot && wiring.learning ? { onPaid: wechatPaidDelivery({ learning: wiring.learning, followers: ctx.repos.followers, outbox: bot.outbox }) } : {}),
    }),
  });
  // Refunds of mini-program orders (WeChat Pay or the sandbox) through the same route as Stars refunds.
  if (payment) {
    const gateway = payment.gateway;
    wiring.mounts.push({ path: '/api/orders', router: createStarsRefundRouter({ repos: ctx.repos, uow: ctx.uow, clock: ctx.clock, provider: gateway.provider, gatewayFor: async () => gateway }), access: 'admin' });
  }
  if (virtualPayment) {
    const gateway = virtualPayment.gateway;
    wiring.mounts.push({ path: '/api/orders', router: createStarsRefundRouter({ repos: ctx.repos, uow: ctx.uow, clock: ctx.clock, provider: gateway.provider, gatewayFor: async () => gateway }), access: 'admin' });
  }
  const off: string[] = [];
  if (!wechat) off.push('login off: set WECHAT_APP_ID and WECHAT_APP_SECRET');
  if (!payment) off.push('WeChat Pay off: set WECHAT_PAY_* (see .env.example)');
  if (virtualPayment) off.push('mini-program orders use WeChat virtual payment (/mp/xpay/notify)');
  if (sandbox) off.push(`payment SANDBOX (no real money; provider "sandbox"${sandboxLogin ? ', login accepts any code' : ''}): see README "Payment sandbox"`);
  wiring.channels.push({ channel: 'miniprogram', isOn: true, reason: `/mp mounted${off.length ? `; ${off.join('; ')}` : ''}` });
}

/** The wechaty bot, its paced messenger and the admin login-QR route, when WECHAT_BOT_ENABLED=true; returns its reply queue then. */
export async function wireWechatBot(ctx: CoreContext, wiring: Wiring, recommender: Recommender): Promise<{ outbox: WechatReplyOutbox } | undefined> {
  const config = ctx.config.wechat;
  if (!config.bot.isEnabled) {
    wiring.mounts.push({ path: '/api', router: createWechatLoginQrRouter(() => null), access: 'admin' });
    wiring.channels.push({ channel: 'wechat', isOn: false, reason: 'WECHAT_BOT_ENABLED is not true (automating a personal account risks restrictions; see README)' });
    return undefined;
  }
  // wechaty keeps its session (memory card) next to its name: put it under DATA_DIR.
  const sessionDir = path.join(ctx.config.dataDir, 'wechaty');
  await mkdir(sessionDir, { recursive: true });
  const bot = WechatyBuilder.build({
    name: path.join(sessionDir, config.bot.name),
    puppet: config.bot.puppet as PuppetModuleName,
    ...(config.bot.puppetToken ? { puppetOptions: { token: config.bot.puppetToken } } : {}),
  });
  const { appId } = config.miniProgram;
  const { bot: wechat, messenger, outbox, pacer } = createWechatChannel({
    bot,
    db: ctx.database.db,
    repos: ctx.repos,
    uow: ctx.uow,
    clock: ctx.clock,
    recordEventsDeps: ctx.recordEventsDeps,
    recommender,
    // Trained once per process, here at start, so no chat turn waits for it.
    intentModel: loadIntentModel(),
    ...(ctx.languageModel ? { languageModel: ctx.languageModel } : {}),
    misunderstoodTurnsBeforeHandoff: ctx.config.handoff.misunderstoodTurnsBeforeHandoff,
    logger: ctx.logger,
    pacing: config.bot.pacing,
    friends: { autoAccept: config.bot.autoAcceptFriends, keywords: config.bot.friendKeywords },
    coursePageUrl: config.miniProgram.coursePageUrl,
    miniProgram: appId && config.miniProgram.username ? { appId, username: config.miniProgram.username } : undefined,
    onError: (where) => ctx.metrics.errors.inc({ source: 'wechat', code: where }),
    ...(wiring.learning ? { learning: wiring.learning } : {}),
  });
  wiring.messengers.set('wechat', messenger);
  wiring.mounts.push({ path: '/api', router: createWechatLoginQrRouter(() => wechat.loginState()), access: 'admin' });
  wiring.services.push({
    name: 'wechat-bot',
    start: async () => {
      await outbox.start();
      await wechat.start();
    },
    stop: async () => {
      outbox.stop();
      await outbox.drain();
      await pacer.drain();
      await wechat.stop();
    },
  });
  const pace = config.bot.pacing;
  wiring.channels.push({ channel: 'wechat', isOn: true, reason: `puppet ${config.bot.puppet}; one message per ${pace.intervalMs}+${pace.jitterMs} ms, ${pace.dailyCap}/day, ${pace.roomSendsPerHour}/room/hour` });
  return { outbox };
}
