import type { Server } from 'node:http';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createMpRouter, HttpWechatApiClient } from '../../adapters/http/mp/index.js';
import { createLogger, createMetrics } from '../../adapters/index.js';
import { SandboxWechatPay } from '../../adapters/payments/sandbox/index.js';
import { WechatPayClient, WechatPayGateway } from '../../adapters/payments/wechat-pay/index.js';
import { createStarsRefundRouter } from '../../adapters/telegram/index.js';
import { systemClock } from '../../core/index.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { createRepositories, PgUnitOfWork, queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { PgMpPayNotificationLog } from '../../models/repositories/pg-mp-pay-notification-log.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { freePort } from '../e2e/telegram-support.js';
import { addAccount, createConsoleTestApp } from './console-support.js';

const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe.each(testTargets())('mini-program order with a coupon through the payment sandbox, refunds and CSV exports on %s', (target) => {
  let database: Database;
  let sandbox: SandboxWechatPay;
  let server: Server;
  let base: string;
  let courseId: string;
  let priceFen: number;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    const repos = createRepositories(database.db);
    const uow = new PgUnitOfWork(database.db);
    const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
    sandbox = new SandboxWechatPay(systemClock);
    const sandboxBase = await sandbox.start();
    const port = await freePort();
    const gateway = new WechatPayGateway(new WechatPayClient(sandbox.credentials(`http://127.0.0.1:${port}/mp/pay/notify`), systemClock), systemClock, () => 'Sandbox course', 'sandbox');
    const mp = createMpRouter({
      uow, clock: systemClock, logger, repos,
      recordEventsDeps: { uow, clock: systemClock, metrics: createMetrics().core },
      recommender: buildRecommender({ db: database.db, repos, clock: systemClock, logger }).recommender,
      session: { secret: 'sandbox-test-session-secret-0123456789ab', ttlSeconds: 3600, eventsPerMinute: 120 },
      wechat: new HttpWechatApiClient({ apiBase: sandboxBase, appId: sandbox.appId, appSecret: 'sandbox' }),
      payment: { gateway, keys: sandbox.notificationKeys },
      notifications: new PgMpPayNotificationLog(database.db),
      sandbox,
    });
    const app = createConsoleTestApp(database, {
      mounts: [
        { path: '/mp', router: mp, access: 'public' },
        { path: '/api/orders', router: createStarsRefundRouter({ repos, uow, clock: systemClock, provider: 'sandbox', gatewayFor: async () => gateway }), access: 'admin' },
      ],
    });
    server = app.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    const course = (await repos.courses.findBySlug('python-zero-to-hero'))!;
    courseId = course.id;
    priceFen = course.priceMinor;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await sandbox.stop();
    await database.close();
  });

  const login = async (code: string) => {
    const res = await request(base).post('/mp/login').send({ code }).expect(201);
    return { Authorization: `Bearer ${res.body.token as string}`, followerId: res.body.follower.id as string };
  };
  const order = (who: { Authorization: string }, couponCode?: string, id = courseId) => request(base).post('/mp/orders').set({ Authorization: who.Authorization }).send({ courseId: id, ...(couponCode ? { couponCode } : {}) });
  const redemptions = (code: string) => queryRows<{ status: string; release_reason: string | null }>(database.db, sql`SELECT status, release_reason FROM coupon_redemptions WHERE code = ${code} ORDER BY created_at`);

  let paidOrderId = '';

  it('prepays the discounted amount, pays through the signed sandbox notification once, and counts the coupon once', async () => {
    const created = await request(base).post('/api/coupons').set(admin).send({ courseId, code: 'MP30', percentOff: 30, maxRedemptions: 1 }).expect(201);
    expect(created.body).toMatchObject({ code: 'MP30', courseId, codeKind: 'single', perFollowerLimit: 1 });
    const who = await login('buyer-1');
    const res = await order(who, 'mp30').expect(201);
    const discounted = Math.floor((priceFen * 70) / 100);
    expect(res.body.order).toMatchObject({ provider: 'sandbox', status: 'pending', amount: { amountMinor: discounted, currency: 'CNY' }, originalAmount: { amountMinor: priceFen, currency: 'CNY' } });
    expect(res.body.payment.package).toMatch(/^prepay_id=wx/);
    paidOrderId = res.body.order.id as string;

    const paid = await request(base).post('/mp/sandbox/pay').set({ Authorization: who.Authorization }).send({ orderId: paidOrderId }).expect(200);
    expect(paid.body).toMatchObject({ id: paidOrderId, status: 'paid' });
    // WeChat redelivers with a new nonce: acknowledged, nothing counted twice.
    const again = await sandbox.pay(paid.body.id.replaceAll('-', ''));
    expect(again?.status).toBe(204);
    expect(await redemptions('MP30')).toEqual([{ status: 'redeemed', release_reason: null }]);
    const list = await request(base).get('/api/coupons').set(admin).expect(200);
    const usage = (list.body.items as Array<{ code: string; redeemedCount: number; usage: { redeemed: number; revenue: unknown[] } }>).find((c) => c.code === 'MP30')!;
    expect(usage).toMatchObject({ redeemedCount: 1, usage: { redeemed: 1, revenue: [{ currency: 'CNY', amountMinor: discounted, discountMinor: priceFen - discounted, orders: 1 }] } });
  });

  it('refuses a forged notification with the same verifier', async () => {
    const res = await request(base).post('/mp/pay/notify').set({ 'Wechatpay-Timestamp': String(Math.floor(Date.now() / 1000)), 'Wechatpay-Nonce': 'n', 'Wechatpay-Signature': 'Zm9yZ2Vk', 'Wechatpay-Serial': sandbox.platformSerial, 'Content-Type': 'application/json' }).send('{"id":"x"}');
    expect(res.status).toBe(401);
  });

  it('refuses a coupon that ran out, an expired one and an unknown one with 4xx and both sentences', async () => {
    const who = await login('buyer-2');
    const out = await order(who, 'MP30').expect(409);
    expect(out.body.error).toMatchObject({ code: 'coupon_exhausted', details: { reason: 'exhausted', zh: '优惠券「MP30」已经被领完了。', en: 'The coupon "MP30" has run out.' } });
    await request(base).post('/api/coupons').set(admin).send({ courseId, code: 'GONE', percentOff: 10, validUntil: new Date(Date.now() - 60_000).toISOString() }).expect(201);
    expect((await order(who, 'GONE').expect(409)).body.error.code).toBe('coupon_expired');
    expect((await order(who, 'NOSUCH').expect(409)).body.error.details).toMatchObject({ reason: 'unknown', en: 'There is no coupon "NOSUCH"; please check the code.' });
    expect((await order(who, 'x').expect(400)).body.error.code).toBe('invalid_request');
  });

  it('frees a coupon when the payment fails, and when a paid order is refunded (audited)', async () => {
    await request(base).post('/api/coupons').set(admin).send({ courseId: null, code: 'ONE5', amountOffMinor: 500, currency: 'CNY', maxRedemptions: 1 }).expect(201);
    const who = await login('buyer-3');
    const first = await order(who, 'ONE5').expect(201);
    expect(first.body.order.amount.amountMinor).toBe(priceFen - 500);
    const other = await login('buyer-4');
    expect((await order(other, 'ONE5').expect(409)).body.error.code).toBe('coupon_exhausted');
    await request(base).post(`/mp/orders/${first.body.order.id as string}/cancel`).set({ Authorization: who.Authorization }).send({ reason: 'payment_failed' }).expect(200);
    expect(await redemptions('ONE5')).toEqual([{ status: 'released', release_reason: 'payment_failed' }]);
    await order(other, 'ONE5').expect(201);

    const refunded = await request(base).post(`/api/orders/${paidOrderId}/refund`).set(admin).send({ reason: 'asked by the learner' }).expect(200);
    expect(refunded.body.order).toMatchObject({ status: 'refunded' });
    expect(await redemptions('MP30')).toEqual([{ status: 'released', release_reason: 'refunded' }]);
    const [audit] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'coupon.released' AND details->>'reason' IN ('refunded', 'payment_failed')`);
    expect(audit!.n).toBe(2);
  });

  it('exports orders, revenue per coupon and learners as CSV in the time zone asked; a creator only their own courses', async () => {
    const orders = await request(base).get('/api/exports/orders.csv?timeZone=Asia/Shanghai').set(admin).expect(200);
    expect(orders.headers['content-type']).toMatch(/^text\/csv/);
    expect(orders.headers['content-disposition']).toMatch(/attachment; filename="orders_.*\.csv"/);
    const lines = orders.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('created_at (Asia/Shanghai)');
    const paidLine = lines.find((l) => l.startsWith(paidOrderId))!;
    expect(paidLine).toContain(',refunded,');
    expect(paidLine).toContain(',MP30,');
    expect(paidLine).toContain(`,CNY,${(Math.floor((priceFen * 70) / 100) / 100).toFixed(2)},${(priceFen / 100).toFixed(2)},`);

    const revenue = await request(base).get('/api/exports/revenue.csv?by=coupon').set(admin).expect(200);
    const revenueLines = revenue.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(revenueLines[0]).toBe('coupon,currency,paid_orders,gross,refunded,net,discount_given');
    expect(revenueLines.find((l) => l.startsWith('MP30,'))).toMatch(/^MP30,CNY,1,(\d+\.\d\d),\1,0\.00,/);
    expect((await request(base).get('/api/exports/revenue.csv?by=nope').set(admin).expect(400)).body.error.code).toBe('invalid_request');
    expect((await request(base).get('/api/exports/orders.csv?timeZone=Mars/Base').set(admin).expect(400)).body.error.code).toBe('invalid_time_zone');

    const learners = await request(base).get('/api/exports/learners.csv').set(admin).expect(200);
    expect(learners.text).toContain('enrolled_at (Asia/Shanghai)');

    const creator = await addAccount(database, 'creator', 'seller@example.com');
    await queryRows(database.db, sql`UPDATE courses SET creator_id = ${creator.id} WHERE slug = 'sql-for-analysts'`);
    const session = await request.agent(base).post('/api/auth/login').send({ email: 'seller@example.com', password: 'correct horse battery' }).expect(200);
    const cookie = session.headers['set-cookie'] as unknown as string[];
    const own = await request(base).get('/api/exports/orders.csv').set('Cookie', cookie).expect(200);
    expect(own.text.replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(1);
    expect(own.text).not.toContain(paidOrderId);
    const coupons = await request(base).get('/api/coupons').set('Cookie', cookie).expect(200);
    expect(coupons.body.items).toEqual([]);
    // A creator cannot make a coupon on another creator's course.
    const csrf = String(session.body.csrfToken);
    await request(base).post('/api/coupons').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ courseId, code: 'STEAL', percentOff: 50 }).expect(403);
  });
});
