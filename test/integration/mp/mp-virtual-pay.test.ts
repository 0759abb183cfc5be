import type { Server } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { sql } from 'drizzle-orm';
import { toOutTradeNo } from '../../../adapters/payments/wechat-pay/index.js';
import { pushSignature } from '../../../adapters/payments/wechat-virtual/index.js';
import type { Repositories } from '../../../core/index.js';
import { queryRows, seedDemoCatalogue, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TestClock, TEST_ADMIN_TOKEN } from '../../support/http.js';
import { createMpTestApp } from './mp-app.js';
import { validateResponse } from './openapi-validator.js';
import { code2SessionServer, listen, xpayServer } from './wechat-fakes.js';

const APP_KEY = 'virtual-app-key-0123456789abcdef';
const PUSH_TOKEN = 'push-token-abc123';
const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');

describe.each(testTargets())('mini-program orders paid with WeChat virtual payment on %s', (target) => {
  let database: Database;
  let app: Express;
  let repos: Repositories;
  let servers: Server[];
  let xpay: ReturnType<typeof xpayServer>;
  let document: Record<string, unknown>;
  const clock = new TestClock(new Date());

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    const code2Session = code2SessionServer();
    xpay = xpayServer(APP_KEY);
    servers = [code2Session.server, xpay.server];
    const [wechatBase, xpayBase] = await Promise.all(servers.map(listen));
    ({ app, repos } = createMpTestApp(database, { clock, code2SessionBase: wechatBase, virtual: { apiBase: xpayBase!, appKey: APP_KEY, pushToken: PUSH_TOKEN } }));
    document = (await request(app).get('/mp/openapi.json').expect(200)).body as Record<string, unknown>;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await database.close();
  });

  const login = async () => {
    const openId = `o-${randomUUID()}`;
    const res = await request(app).post('/mp/login').send({ code: `ok:${openId}` }).expect(201);
    return { token: res.body.token as string, followerId: res.body.follower.id as string, openId };
  };
  const sessionKeyOf = async (openId: string) =>
    (await queryRows<{ session_key: string }>(database.db, sql`SELECT session_key FROM mp_session_keys WHERE open_id = ${openId}`))[0]?.session_key;
  const buy = async (slug: string) => {
    const who = await login();
    const course = (await repos.courses.findBySlug(slug))!;
    const res = await request(app).post('/mp/orders').set('Authorization', `Bearer ${who.token}`).send({ courseId: course.id }).expect(201);
    expect(validateResponse(document, '/orders', 'post', res.status, res.body)).toEqual([]);
    return { who, course, order: res.body.order as { id: string }, payment: res.body.payment as Record<string, string> };
  };
  /** A message push signed as WeChat signs it (sha1 over the sorted token, timestamp and nonce). */
  const push = (body: Record<string, unknown>, options: { token?: string; at?: Date } = {}) => {
    const timestamp = String(Math.floor((options.at ?? clock.now()).getTime() / 1000));
    const nonce = randomUUID().slice(0, 8);
    const signature = pushSignature(options.token ?? PUSH_TOKEN, timestamp, nonce);
    return request(app).post(`/mp/xpay/notify?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`).send(body);
  };
  const deliverNotify = (openId: string, orderId: string, price: number) => ({
    ToUserName: 'gh_test', FromUserName: openId, CreateTime: Math.floor(clock.now().getTime() / 1000), MsgType: 'event', Event: 'xpay_goods_deliver_notify',
    OpenId: openId, OutTradeNo: toOutTradeNo(orderId), Env: 1,
    WeChatPayInfo: { MchOrderNo: `mch-${orderId.slice(0, 8)}`, TransactionId: `4200${orderId.slice(0, 8)}`, PaidTime: Math.floor(clock.now().getTime() / 1000) },
    GoodsInfo: { ProductId: 'x', Quantity: 1, OrigPrice: price, ActualPrice: price, Attach: orderId },
  });

  it('signs the wx.requestVirtualPayment parameters with the AppKey and the payer\'s own session key, one 道具 per course', async () => {
    const { who, course, order, payment } = await buy('python-zero-to-hero');
    const sessionKey = await sessionKeyOf(who.openId);
    expect(sessionKey).toMatch(/^sk-/);
    expect(JSON.stringify(payment)).not.toContain(sessionKey!);
    expect(payment['mode']).toBe('short_series_goods');
    expect(JSON.parse(payment['signData']!)).toEqual({
      offerId: '1450000001', buyQuantity: 1, env: 1, currencyType: 'CNY', productId: 'python-zero-to-hero', goodsPrice: course.priceMinor, outTradeNo: toOutTradeNo(order.id), attach: order.id,
    });
    expect(payment['paySig']).toBe(hmac(APP_KEY, `requestVirtualPayment&${payment['signData']}`));
    expect(payment['signature']).toBe(hmac(sessionKey!, payment['signData']!));
    expect((await repos.orders.findById(order.id))).toMatchObject({ provider: 'wechat_virtual', status: 'pending', amountMinor: course.priceMinor, currency: 'CNY' });
  });

  it('refuses a coupon with virtual payment, before any order is opened', async () => {
    const who = await login();
    const course = (await repos.courses.findBySlug('sql-for-analysts'))!;
    const res = await request(app).post('/mp/orders').set('Authorization', `Bearer ${who.token}`).send({ courseId: course.id, couponCode: 'SAVE20' }).expect(400);
    expect(res.body.error.code).toBe('coupon_not_available');
    expect(await repos.orders.listByFollower(who.followerId)).toEqual([]);
  });

  it('answers WeChat\'s URL check only with the right signature', async () => {
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    const ok = await request(app).get(`/mp/xpay/notify?signature=${pushSignature(PUSH_TOKEN, timestamp, 'n1')}&timestamp=${timestamp}&nonce=n1&echostr=hello123`).expect(200);
    expect(ok.text).toBe('hello123');
    await request(app).get(`/mp/xpay/notify?signature=${pushSignature('wrong', timestamp, 'n1')}&timestamp=${timestamp}&nonce=n1&echostr=hello123`).expect(401);
  });

  it('grants the course once on a genuine delivery push that WeChat confirms, and acknowledges redeliveries', async () => {
    const { who, course, order } = await buy('data-analysis-pandas');
    // Not paid yet at WeChat: the push is refused and nothing changes.
    xpay.orders.set(toOutTradeNo(order.id), { status: 1, paidFee: 0 });
    const early = await push(deliverNotify(who.openId, order.id, course.priceMinor)).expect(400);
    expect(early.body.ErrCode).toBe(1);
    expect((await repos.orders.findById(order.id))!.status).toBe('pending');

    xpay.orders.set(toOutTradeNo(order.id), { status: 2, paidFee: course.priceMinor });
    const first = await push(deliverNotify(who.openId, order.id, course.priceMinor)).expect(200);
    expect(first.body).toEqual({ ErrCode: 0, ErrMsg: 'success' });
    expect(xpay.calls.filter((c) => c.uri === '/xpay/query_order').every((c) => c.isSignatureValid)).toBe(true);
    expect(await repos.orders.findById(order.id)).toMatchObject({ status: 'paid', providerChargeId: `4200${order.id.slice(0, 8)}` });
    expect((await repos.entitlements.ownedCourseIds(who.followerId)).has(course.id)).toBe(true);

    await push(deliverNotify(who.openId, order.id, course.priceMinor)).expect(200);
    const purchases = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM events WHERE follower_id = ${who.followerId}::uuid AND kind = 'purchase'`);
    expect(purchases[0]!.n).toBe(1);
  });

  it('refuses forged, stale and mismatched pushes, changing nothing', async () => {
    const { who, course, order } = await buy('ml-foundations');
    xpay.orders.set(toOutTradeNo(order.id), { status: 2, paidFee: course.priceMinor });
    await push(deliverNotify(who.openId, order.id, course.priceMinor), { token: 'guessed' }).expect(401);
    await push(deliverNotify(who.openId, order.id, course.priceMinor), { at: new Date(clock.now().getTime() - 3_600_000) }).expect(401);
    // Another follower's openid on this order.
    await push(deliverNotify(`o-${randomUUID()}`, order.id, course.priceMinor)).expect(400);
    // WeChat says a smaller amount was paid than the order's.
    xpay.orders.set(toOutTradeNo(order.id), { status: 2, paidFee: course.priceMinor - 100 });
    await push(deliverNotify(who.openId, order.id, course.priceMinor)).expect(400);
    expect((await repos.orders.findById(order.id))!.status).toBe('pending');
    expect((await repos.entitlements.ownedCourseIds(who.followerId)).has(course.id)).toBe(false);
  });

  it('refunds through /xpay/refund_order, signed, from the admin refund route; the course is revoked', async () => {
    const { who, course, order } = await buy('excel-office-pro');
    xpay.orders.set(toOutTradeNo(order.id), { status: 2, paidFee: course.priceMinor });
    await push(deliverNotify(who.openId, order.id, course.priceMinor)).expect(200);
    const res = await request(app).post(`/api/orders/${order.id}/refund`).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({ reason: 'asked by the buyer' }).expect(200);
    expect(res.body.order.status).toBe('refunded');
    const call = xpay.calls.filter((c) => c.uri === '/xpay/refund_order').at(-1)!;
    expect(call.isSignatureValid).toBe(true);
    expect(call.body).toMatchObject({ openid: who.openId, order_id: toOutTradeNo(order.id), refund_fee: course.priceMinor, left_fee: course.priceMinor, env: 1 });
    expect((await repos.entitlements.ownedCourseIds(who.followerId)).has(course.id)).toBe(false);
  });
});
