import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { sql } from 'drizzle-orm';
import { toOutTradeNo } from '../../../adapters/payments/wechat-pay/index.js';
import { createLogger } from '../../../adapters/index.js';
import { RiskMonitor, type Repositories } from '../../../core/index.js';
import { PgRiskStore, queryRows, seedDemoCatalogue, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TestClock } from '../../support/http.js';
import { createMpTestApp } from './mp-app.js';
import { validateResponse } from './openapi-validator.js';
import { APP_ID, code2SessionServer, listen, MCH_ID, paymentNotification, rsaKeys, successfulTransaction, verify, wechatPayServer } from './wechat-fakes.js';

describe.each(testTargets())('mini-program orders and WeChat Pay notifications on %s', (target) => {
  let database: Database;
  let app: Express;
  let repos: Repositories;
  let servers: Server[];
  let pay: ReturnType<typeof wechatPayServer>;
  let document: Record<string, unknown>;
  const merchant = rsaKeys();
  const platform = rsaKeys();
  const clock = new TestClock(new Date());
  let risk: RiskMonitor;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    const code2Session = code2SessionServer();
    pay = wechatPayServer(merchant.publicKey, platform.privateKey);
    servers = [code2Session.server, pay.server];
    const [wechatBase, payBase] = await Promise.all(servers.map(listen));
    risk = new RiskMonitor({ clock, logger: createLogger('silent'), store: new PgRiskStore(database.db) });
    const payOptions = { apiBase: payBase!, merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey };
    ({ app, repos } = createMpTestApp(database, { clock, risk, code2SessionBase: wechatBase, pay: payOptions }));
    document = (await request(app).get('/mp/openapi.json').expect(200)).body as Record<string, unknown>;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await database.close();
  });

  const documented = (route: string, method: string, res: request.Response) => {
    expect(validateResponse(document, route, method, res.status, res.text ? res.body : undefined)).toEqual([]);
    return res;
  };
  const login = async () => {
    const openId = `o-${randomUUID()}`;
    const res = await request(app).post('/mp/login').send({ code: `ok:${openId}` }).expect(201);
    return { token: res.body.token as string, followerId: res.body.follower.id as string, openId };
  };
  const createOrder = async (token: string, slug: string) => {
    const course = (await repos.courses.findBySlug(slug))!;
    const res = documented('/orders', 'post', await request(app).post('/mp/orders').set('Authorization', `Bearer ${token}`).send({ courseId: course.id }));
    return { res, course };
  };
  const transaction = (orderId: string, total: number, openId: string, overrides: Record<string, unknown> = {}) => successfulTransaction(orderId, total, openId, { overrides });
  const notify = (n: { headers: Record<string, string>; body: string }) => request(app).post('/mp/pay/notify').set(n.headers).send(n.body);
  const stateOf = async (orderId: string, followerId: string) => ({
    order: await repos.orders.findById(orderId),
    owned: await repos.entitlements.ownedCourseIds(followerId),
    purchases: (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where follower_id = ${followerId} and kind = 'purchase'`))[0]!.n,
  });

  it('creates an order and a signed JSAPI prepay, returning wx.requestPayment parameters signed by the merchant key', async () => {
    const who = await login();
    const { res, course } = await createOrder(who.token, 'python-zero-to-hero');
    expect(res.status).toBe(201);
    expect(res.body.order).toMatchObject({ courseId: course.id, status: 'pending', amount: { amountMinor: course.priceMinor, currency: 'CNY' }, provider: 'wechat_pay' });
    const prepay = pay.prepays.at(-1)!;
    expect(prepay.isSignatureValid).toBe(true);
    expect(prepay.body).toMatchObject({ appid: APP_ID, mchid: MCH_ID, out_trade_no: toOutTradeNo(res.body.order.id), amount: { total: course.priceMinor, currency: 'CNY' }, payer: { openid: who.openId } });
    const p = res.body.payment;
    expect(p).toMatchObject({ appId: APP_ID, signType: 'RSA' });
    expect(p.package).toMatch(/^prepay_id=wx/);
    expect(verify(merchant.publicKey, [p.appId, p.timeStamp, p.nonceStr, p.package], p.paySign)).toBe(true);
    // Tapping buy again reuses the pending order.
    const again = await createOrder(who.token, 'python-zero-to-hero');
    expect(again.res.status).toBe(200);
    expect(again.res.body.order.id).toBe(res.body.order.id);
    const shown = documented('/orders/{id}', 'get', await request(app).get(`/mp/orders/${res.body.order.id}`).set('Authorization', `Bearer ${who.token}`));
    expect(shown.body.status).toBe('pending');
    const stranger = await login();
    expect(documented('/orders/{id}', 'get', await request(app).get(`/mp/orders/${res.body.order.id}`).set('Authorization', `Bearer ${stranger.token}`)).status).toBe(404);
    expect(documented('/orders', 'post', await request(app).post('/mp/orders').send({ courseId: course.id })).status).toBe(401);
    expect(documented('/orders', 'post', await request(app).post('/mp/orders').set('Authorization', `Bearer ${who.token}`).send({ courseId: randomUUID() })).status).toBe(404);
  });

  it('confirms a genuine notification exactly once; a replay is refused and a redelivery changes nothing', async () => {
    const who = await login();
    const { res, course } = await createOrder(who.token, 'phone-photography');
    const orderId = res.body.order.id as string;
    const tx = transaction(orderId, course.priceMinor, who.openId);
    const genuine = paymentNotification(platform.privateKey, tx);
    const ok = documented('/pay/notify', 'post', await notify(genuine));
    expect(ok.status).toBe(204);
    const paid = await stateOf(orderId, who.followerId);
    expect(paid.order).toMatchObject({ status: 'paid', providerChargeId: tx.transaction_id });
    expect(paid.owned.has(course.id)).toBe(true);
    expect(paid.purchases).toBe(1);

    const replay = documented('/pay/notify', 'post', await notify(genuine));
    expect(replay.status).toBe(409);
    expect(replay.body).toEqual({ code: 'FAIL', message: 'replayed notification' });
    const redelivery = documented('/pay/notify', 'post', await notify(paymentNotification(platform.privateKey, tx)));
    expect(redelivery.status).toBe(204);
    expect(await stateOf(orderId, who.followerId)).toEqual(paid);
    // Bought already: no second order.
    expect((await createOrder(who.token, 'phone-photography')).res.status).toBe(409);
  });

  it('rejects forged, stale, tampered, mis-addressed and wrong-amount notifications with no state change', async () => {
    const who = await login();
    const { res, course } = await createOrder(who.token, 'sql-for-analysts');
    const orderId = res.body.order.id as string;
    const before = await stateOf(orderId, who.followerId);
    const tx = transaction(orderId, course.priceMinor, who.openId);

    const forger = rsaKeys();
    const cases: Array<[string, { headers: Record<string, string>; body: string }, number]> = [
      ['signed with another key', paymentNotification(forger.privateKey, tx), 401],
      ['stale timestamp', paymentNotification(platform.privateKey, tx, { now: new Date(Date.now() - 6 * 60_000) }), 400],
      ['encrypted with another APIv3 key', paymentNotification(platform.privateKey, tx, { apiV3Key: 'z'.repeat(32) }), 400],
      ['wrong amount', paymentNotification(platform.privateKey, transaction(orderId, course.priceMinor - 1, who.openId)), 400],
      ['another merchant', paymentNotification(platform.privateKey, { ...tx, mchid: '1900000999' }), 400],
      ['unknown order', paymentNotification(platform.privateKey, transaction(randomUUID(), course.priceMinor, who.openId)), 400],
    ];
    const genuine = paymentNotification(platform.privateKey, tx);
    const tamperedBody = genuine.body.replace('"summary":"支付成功"', '"summary":"x"');
    cases.push(['body changed after signing', { headers: genuine.headers, body: tamperedBody }, 401]);
    const { 'Wechatpay-Signature': _dropped, ...unsigned } = genuine.headers;
    cases.push(['no signature header', { headers: unsigned, body: genuine.body }, 400]);
    for (const [name, notification, status] of cases) {
      const answer = documented('/pay/notify', 'post', await notify(notification));
      expect({ name, status: answer.status, code: answer.body.code }).toEqual({ name, status, code: 'FAIL' });
    }
    const malformed = await request(app).post('/mp/pay/notify').set(genuine.headers).set('Content-Type', 'application/json').send('{not json');
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(await stateOf(orderId, who.followerId)).toEqual(before);
    // A notification that fails against its order (the wrong amount) is a risk signal for the order's follower; forgeries name nobody.
    expect(risk.featureVectors().get(who.followerId)?.paymentFailures).toBe(1);
    // The genuine one still goes through afterwards.
    expect((await notify(genuine)).status).toBe(204);
    expect((await stateOf(orderId, who.followerId)).order?.status).toBe('paid');
  });

  it('flags accounts signing in from one device, and holds their checkout: 202, no prepay, the order kept for review', async () => {
    const deviceId = `device-${randomUUID()}`;
    const accounts = [];
    for (let i = 0; i < 4; i++) {
      const openId = `o-${randomUUID()}`;
      const res = await request(app).post('/mp/login').send({ code: `ok:${openId}`, deviceId }).expect(201);
      accounts.push(res.body as { token: string; follower: { id: string } });
    }
    for (const a of accounts) expect(risk.assess(a.follower.id).reasons).toEqual([{ code: 'linked_accounts', params: { accounts: 4, via: 'device' } }]);
    const prepays = pay.prepays.length;
    const { res } = await createOrder(accounts[0]!.token, 'python-zero-to-hero');
    expect(res.status).toBe(202);
    expect(res.body.review.message).toBe('你的订单正在审核中，审核通过后我们会通知你。给你带来不便，敬请谅解。');
    expect(res.body.order.status).toBe('pending');
    expect(pay.prepays.length).toBe(prepays);
    const holds = await queryRows<{ order_id: string }>(database.db, sql`select order_id from risk_order_holds where follower_id = ${accounts[0]!.follower.id}::uuid`);
    expect(holds).toEqual([{ order_id: res.body.order.id }]);
  });
});
