import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { sql } from 'drizzle-orm';
import { createLogger } from '../../../adapters/index.js';
import { confirmPayment, courseInputSchema, RiskMonitor, type Account } from '../../../core/index.js';
import { createRepositories, PgUnitOfWork, queryRows, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TEST_ADMIN_TOKEN, TestClock } from '../../support/http.js';
import { addAccount, createConsoleTestApp, logInAgent } from '../console-support.js';
import { createMpTestApp } from '../mp/mp-app.js';
import { validateResponse } from '../mp/openapi-validator.js';
import { code2SessionServer, listen } from '../mp/wechat-fakes.js';

const DAY = 86_400_000;

/*
 * Referrals over HTTP on the real express apps: the mini-program's share scene at login (attributed
 * once, refused between accounts on one device, reported to the risk monitor), and the console API
 * under /api/referrals with creator isolation, the payout report and marking commission paid out.
 */
describe.each(testTargets())('referrals over HTTP on %s', (target) => {
  let database: Database;
  let mp: Express;
  let consoleApp: Express;
  let code2Session: Server;
  let mpDocument: Record<string, unknown>;
  let risk: RiskMonitor;
  const clock = new TestClock(new Date());
  let creator: Account;
  let rival: Account;
  const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const people: Record<'referrer' | 'friend', { token: string; followerId: string }> = { referrer: { token: '', followerId: '' }, friend: { token: '', followerId: '' } };
  let referrerCode = '';
  const referrerDevice = `device-${randomUUID()}`;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    code2Session = code2SessionServer().server;
    const base = await listen(code2Session);
    risk = new RiskMonitor({ clock, logger: createLogger('silent') });
    mp = createMpTestApp(database, { clock, risk, code2SessionBase: base }).app;
    consoleApp = createConsoleTestApp(database, { clock });
    mpDocument = (await request(mp).get('/mp/openapi.json').expect(200)).body as Record<string, unknown>;
    creator = await addAccount(database, 'creator', `ref-creator-${target}@example.com`);
    rival = await addAccount(database, 'creator', `ref-rival-${target}@example.com`);
  });
  afterAll(async () => {
    await new Promise((resolve) => code2Session.close(resolve));
    await database.close();
  });

  const documented = (route: string, method: string, res: request.Response) => {
    expect(validateResponse(mpDocument, route, method, res.status, res.body)).toEqual([]);
    return res;
  };
  const login = (body: Record<string, unknown>) => request(mp).post('/mp/login').send(body);

  it('attributes a new follower who logs in with the share scene once, and refuses a second account on the referrer\'s device', async () => {
    const first = documented('/login', 'post', await login({ code: `ok:o-${randomUUID()}`, deviceId: referrerDevice }).expect(201));
    people.referrer = { token: first.body.token, followerId: first.body.follower.id };
    const mine = documented('/my/referral', 'get', await request(mp).get('/mp/my/referral').set('Authorization', `Bearer ${people.referrer.token}`).expect(200));
    referrerCode = mine.body.code;
    expect(mine.body).toEqual({ code: expect.stringMatching(/^[A-Z0-9]{8}$/), sharePath: `pages/index/index?scene=${referrerCode}`, scene: referrerCode });
    // The same code every time.
    expect((await request(mp).get('/mp/my/referral').set('Authorization', `Bearer ${people.referrer.token}`).expect(200)).body.code).toBe(referrerCode);
    await request(mp).get('/mp/my/referral').expect(401);

    const openId = `o-${randomUUID()}`;
    const friend = documented('/login', 'post', await login({ code: `ok:${openId}`, deviceId: `device-${randomUUID()}`, scene: referrerCode }).expect(201));
    expect(friend.body.referral).toBe('attributed');
    people.friend = { token: friend.body.token, followerId: friend.body.follower.id };
    // Logging in again with the scene (a retry, another share) attributes nothing more.
    expect((await login({ code: `ok:${openId}`, scene: referrerCode }).expect(200)).body.referral).toBe('already_referred');
    expect(await queryRows(database.db, sql`SELECT referrer_follower_id, channel FROM referrals WHERE referred_follower_id = ${people.friend.followerId}`)).toEqual([
      { referrer_follower_id: people.referrer.followerId, channel: 'miniprogram' },
    ]);
    expect((await login({ code: `ok:o-${randomUUID()}`, scene: 'NOSUCH99' }).expect(201)).body.referral).toBe('unknown_code');

    const sockPuppet = documented('/login', 'post', await login({ code: `ok:o-${randomUUID()}`, deviceId: referrerDevice, scene: referrerCode }).expect(201));
    expect(sockPuppet.body.referral).toBe('linked_accounts');
    expect(await queryRows(database.db, sql`SELECT 1 FROM referrals WHERE referred_follower_id = ${sockPuppet.body.follower.id}`)).toEqual([]);
    expect(risk.assess(people.referrer.followerId).reasons).toContainEqual({ code: 'referral_farming', params: { linkedReferral: 1, via: 'device' } });
    const [refusal] = await queryRows<{ details: Record<string, unknown> }>(database.db, sql`SELECT details FROM audit_log WHERE action = 'referral.refused' AND subject_id = ${sockPuppet.body.follower.id}`);
    expect(refusal!.details).toMatchObject({ reason: 'linked_accounts', linkedVia: 'device', referrerId: people.referrer.followerId, channel: 'miniprogram' });
  });

  it("keeps each creator to their own programme, distributors and payouts; marks payable commission paid out once, audited", async () => {
    let mine = await logInAgent(consoleApp, creator.email);
    let theirs = await logInAgent(consoleApp, rival.email);
    await mine.agent.put('/api/referrals/program').set(mine.csrf).send({ rewardPercentOff: 10, refundWindowDays: 7 }).expect(200);
    await mine.agent.put('/api/referrals/program').set(mine.csrf).send({ rewardPercentOff: 10, rewardAmountOff: 5, rewardCurrency: 'CNY' }).expect(400);
    await mine.agent.post('/api/referrals/distributors').set(mine.csrf).send({ followerId: people.referrer.followerId, commissionBps: 0 }).expect(400);
    await mine.agent.post('/api/referrals/distributors').set(mine.csrf).send({ followerId: randomUUID(), commissionBps: 1000 }).expect(404);
    const approved = await mine.agent.post('/api/referrals/distributors').set(mine.csrf).send({ followerId: people.referrer.followerId, commissionBps: 1000 }).expect(201);
    expect(approved.body).toMatchObject({ creatorId: creator.id, followerId: people.referrer.followerId, commissionBps: 1000, status: 'approved' });
    expect((await theirs.agent.get('/api/referrals/distributors').expect(200)).body.items).toEqual([]);
    expect((await theirs.agent.get('/api/referrals/program').expect(200)).body.program).toBeNull();
    // An admin must say whose programme a change is for.
    await request(consoleApp).put('/api/referrals/program').set(admin).send({ rewardPercentOff: 5 }).expect(400);
    await request(consoleApp).put(`/api/referrals/program?creatorId=${randomUUID()}`).set(admin).send({ rewardPercentOff: 5 }).expect(404);

    // The referred friend pays ¥99.00 for the creator's course.
    const repos = createRepositories(database.db);
    await repos.courses.insertMissing([courseInputSchema.parse({ slug: `ref-api-${target}`, titleZh: '理财', titleEn: 'Money', priceMinor: 9900, status: 'on_sale', creatorId: creator.id })]);
    const course = (await repos.courses.findBySlug(`ref-api-${target}`))!;
    const [order] = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status) VALUES (${people.friend.followerId}, ${course.id}, 9900, 'CNY', 'manual', 'pending') RETURNING id`,
    );
    await confirmPayment({ uow: new PgUnitOfWork(database.db), clock }, { orderId: order!.id, provider: 'manual', providerChargeId: `manual-${randomUUID()}`, amountMinor: 9900, currency: 'CNY' });

    const payouts = async (agent: typeof mine.agent) => (await agent.get('/api/referrals/payouts').expect(200)).body.items as Array<Record<string, unknown>>;
    expect(await payouts(mine.agent)).toEqual([
      expect.objectContaining({ distributorFollowerId: people.referrer.followerId, currency: 'CNY', pending: { amountMinor: 990, currency: 'CNY', amount: '9.90' }, payable: expect.objectContaining({ amountMinor: 0 }) }),
    ]);
    const paidOut = { distributorFollowerId: people.referrer.followerId, currency: 'CNY', reference: 'bank transfer 0001' };
    expect((await mine.agent.post('/api/referrals/payouts').set(mine.csrf).send(paidOut).expect(409)).body.error.code).toBe('nothing_payable');

    clock.advance(7 * DAY + 1000);
    // A week later the sessions have expired: both log in again.
    [mine, theirs] = [await logInAgent(consoleApp, creator.email), await logInAgent(consoleApp, rival.email)];
    expect(await payouts(theirs.agent)).toEqual([]);
    // Another creator cannot pay out (or even find) this creator's commission.
    await theirs.agent.post('/api/referrals/payouts').set(theirs.csrf).send(paidOut).expect(409);
    expect((await payouts(mine.agent))[0]).toMatchObject({ payable: { amountMinor: 990, currency: 'CNY', amount: '9.90' }, pending: { amountMinor: 0 } });
    expect((await request(consoleApp).get('/api/referrals/payouts').set(admin).expect(200)).body.items).toHaveLength(1);

    const done = await mine.agent.post('/api/referrals/payouts').set(mine.csrf).send(paidOut).expect(200);
    expect(done.body).toEqual({ entries: 1, paidOut: { amountMinor: 990, currency: 'CNY', amount: '9.90' } });
    await mine.agent.post('/api/referrals/payouts').set(mine.csrf).send(paidOut).expect(409);
    const ledger = (await mine.agent.get('/api/referrals/commissions?status=paid_out').expect(200)).body.items as Array<Record<string, unknown>>;
    expect(ledger.map((e) => e['orderId'])).toEqual([order!.id]);
    const [audit] = await queryRows<{ actor: string; details: Record<string, unknown> }>(
      database.db,
      sql`SELECT actor, details FROM audit_log WHERE action = 'commission.paid_out' AND subject_id = ${people.referrer.followerId}`,
    );
    expect(audit).toMatchObject({ actor: `account:${creator.id}`, details: { currency: 'CNY', amountMinor: 990, reference: 'bank transfer 0001', creatorId: creator.id } });

    const spec = (await request(consoleApp).get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/referrals/payouts']!)).toEqual(['get', 'post']);
  });

  it('refuses a broadcast offering a coupon that does not exist or is another creator\'s, and a rule offering an unknown one', async () => {
    const suffix = target.toUpperCase();
    const mine = await logInAgent(consoleApp, creator.email);
    const theirs = await logInAgent(consoleApp, rival.email);
    await theirs.agent.post('/api/coupons').set(theirs.csrf).send({ code: `RIVAL-${suffix}`, percentOff: 10, courseId: null }).expect(201);
    await mine.agent.post('/api/coupons').set(mine.csrf).send({ code: `MINE-${suffix}`, percentOff: 10, courseId: null }).expect(201);
    const broadcast = (couponCode: string) => ({ name: `offer ${couponCode}`, variants: [{ key: 'A', text: { en: 'Use {coupon}' }, couponCode }] });
    const unknown = await mine.agent.post('/api/broadcasts').set(mine.csrf).send(broadcast('NOSUCH-CODE')).expect(422);
    expect(unknown.body.error.code).toBe('coupon_not_found');
    const foreign = await mine.agent.post('/api/broadcasts').set(mine.csrf).send(broadcast(`RIVAL-${suffix}`)).expect(403);
    expect(foreign.body.error.code).toBe('coupon_not_yours');
    const own = await mine.agent.post('/api/broadcasts').set(mine.csrf).send(broadcast(`mine-${target}`)).expect(201);
    expect(own.body.broadcast.variants[0].couponCode).toBe(`MINE-${suffix}`);

    const rule = { name: `coupon-rule-${target}`, trigger: 'abandoned_checkout', params: { hours: 2 }, variants: [{ key: 'A', text: { en: 'Still there? {coupon}' }, couponCode: 'NOSUCH-CODE' }] };
    expect((await request(consoleApp).post('/api/retargeting-rules').set(admin).send(rule).expect(422)).body.error.code).toBe('coupon_not_found');
    const created = await request(consoleApp).post('/api/retargeting-rules').set(admin).send({ ...rule, variants: [{ ...rule.variants[0], couponCode: `RIVAL-${suffix}` }] }).expect(201);
    expect(created.body.variants[0].couponCode).toBe(`RIVAL-${suffix}`);
  });
});
