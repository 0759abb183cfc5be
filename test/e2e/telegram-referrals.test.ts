import { sql } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { createLogger } from '../../adapters/index.js';
import { createBroadcast, dispatchOutbox, enqueueBroadcast } from '../../core/campaigns/index.js';
import { courseInputSchema, decideDistributor, payoutReport, refundOrder, releasePayableCommissions, saveReferralProgram } from '../../core/index.js';
import { PgUnitOfWork, createConsoleRepositories, createRepositories, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { addAccount } from '../integration/console-support.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TestClock } from '../support/http.js';
import { startEmulatedTelegram, type EmulatedBotMessage as BotMessage } from './telegram-support.js';

const TOKEN = '5550007:referrals-e2e-token-abcdefghij';
const DAY = 86_400_000;
const A = { id: 9401, first_name: 'An' };
const B = { id: 9402, first_name: 'Bo' };
const C = { id: 9403, first_name: 'Cai' };
const D = { id: 9404, first_name: 'Du' };
const E = { id: 9405, first_name: 'En' };
const F = { id: 9406, first_name: 'Fang' };

/*
 * Referrals through the real telegraf bot and the telegram-test-api emulator (the Bot API stand-in
 * in front of it plays Telegram's side of Stars payments): a follower's invite link, a friend's
 * /start with it, the friend's purchase, and what the referrer earns — a reward coupon, or, for an
 * approved distributor, commission that a refund cancels and that becomes payable once the refund
 * window has passed on the test clock.
 */
describe.each(testTargets())('referrals through the real Telegram bot on %s', (target) => {
  let database: Database;
  let telegram: Awaited<ReturnType<typeof startEmulatedTelegram>>;
  let api: typeof telegram.api;
  let channel: typeof telegram.channel;
  const clock = new TestClock(new Date());
  let uow: PgUnitOfWork;
  let creatorId: string;
  let courseId: string;
  let otherCourseId: string;
  const PRICE_STARS = 100;
  let updateId = 880_000;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    uow = new PgUnitOfWork(database.db);
    creatorId = (await addAccount(database, 'creator', `referrals-${target}@example.com`)).id;
    const repos = createRepositories(database.db);
    await repos.courses.insertMissing([
      courseInputSchema.parse({ slug: 'ref-photo', titleZh: '人像摄影', titleEn: 'Portrait photography', priceMinor: 9900, priceStars: PRICE_STARS, status: 'on_sale', creatorId }),
      courseInputSchema.parse({ slug: 'ref-light', titleZh: '布光入门', titleEn: 'Lighting basics', priceMinor: 4900, priceStars: 50, status: 'on_sale', creatorId }),
    ]);
    courseId = (await repos.courses.findBySlug('ref-photo'))!.id;
    otherCourseId = (await repos.courses.findBySlug('ref-light'))!.id;
    await saveReferralProgram({ uow, clock }, { creatorId, input: { rewardPercentOff: 20, rewardValidDays: 30, refundWindowDays: 7 }, actor: 'test' });

    telegram = await startEmulatedTelegram(database, TOKEN, clock);
    ({ api, channel } = telegram);
  });
  afterAll(async () => {
    await telegram.stop();
    await database.close();
  });

  const client = (user: { id: number; first_name: string }) => telegram.server.getClient(TOKEN, { userId: user.id, chatId: user.id, firstName: user.first_name });
  const until = (user: { id: number }, match: (m: BotMessage) => boolean, what: string) => telegram.until(user.id, match, what);
  const say = (user: { id: number; first_name: string }, text: string) => client(user).sendMessage(client(user).makeMessage(text));
  const tap = (user: { id: number; first_name: string }, data: string) => client(user).sendCallback(client(user).makeCallbackQuery(data));
  /** A /start delivered as Telegram delivers it; the same update object may be delivered again. */
  const startUpdate = (user: { id: number; first_name: string }, payload: string): Update => {
    const text = `/start ${payload}`;
    return {
      update_id: ++updateId,
      message: {
        message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: { id: user.id, is_bot: false, first_name: user.first_name, language_code: 'en' }, text, entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    } as Update;
  };
  const followerId = async (user: { id: number }) => (await channel.repos.followers.findByIdentity('telegram', String(user.id)))!.id;
  const inviteCodeOf = async (user: { id: number; first_name: string }) => {
    await say(user, 'Invite friends');
    const invite = await until(user, (m) => m.text.includes('start=ref_'), 'the invite link');
    return /start=ref_([A-Z0-9]+)/.exec(invite.text)![1]!;
  };
  const buy = async (user: { id: number; first_name: string }, course: string) => {
    await tap(user, `buy:${course}`);
    await until(user, (m) => (m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data === `pay:${course}`), 'the confirmation card');
    await tap(user, `pay:${course}`);
    const deadline = Date.now() + 10_000;
    while (!api.calls.some((c) => c.method === 'sendInvoice' && String(c.body['chat_id']) === String(user.id))) {
      if (Date.now() > deadline) throw new Error(`no invoice for ${user.id}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { payload } = api.pay(user);
    await until(user, (m) => /payment received|支付成功/i.test(m.text), 'payment received');
    return payload.split(':')[0]!;
  };
  const audits = (action: string, subjectId: string) =>
    queryRows<{ details: Record<string, unknown> }>(database.db, sql`SELECT details FROM audit_log WHERE action = ${action} AND subject_id = ${subjectId}`);

  it("A asks for an invite link, B opens it (delivered twice), B buys, A gets a reward coupon that works, and B's refund revokes it", async () => {
    const code = await inviteCodeOf(A);
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    // The same code every time it is asked for, in Chinese too.
    await say(A, '邀请好友');
    const again = await until(A, (m) => m.text.includes('start=ref_'), 'the invite link again');
    expect(again.text).toContain(`https://t.me/ZhiliaoTestBot?start=ref_${code}`);
    expect(again.text).toContain(`pages/index/index?scene=${code}`);

    const update = startUpdate(B, `ref_${code}`);
    await channel.bot.handleUpdate(update);
    await channel.bot.handleUpdate(structuredClone(update));
    await channel.idle();
    const bId = await followerId(B);
    const aId = await followerId(A);
    expect(await queryRows(database.db, sql`SELECT referrer_follower_id, channel FROM referrals WHERE referred_follower_id = ${bId}`)).toEqual([{ referrer_follower_id: aId, channel: 'telegram' }]);
    expect(await audits('referral.attributed', bId)).toHaveLength(1);

    const orderId = await buy(B, courseId);
    // The emulator's users carry no language: they are spoken to in Chinese.
    const reward = await until(A, (m) => m.text.includes('你邀请的好友完成了购买'), "A's reward");
    const rewardCode = /优惠券「(REF[A-Z0-9]+)」/.exec(reward.text)![1]!;
    expect(reward.text).toContain('（8 折）');
    const [conversion] = await queryRows<{ referrer_follower_id: string; reward: string; owner: string }>(
      database.db,
      sql`SELECT rc.referrer_follower_id, rc.reward, k.follower_id AS owner FROM referral_conversions rc JOIN coupon_codes k ON k.coupon_id = rc.reward_coupon_id WHERE rc.order_id = ${orderId}`,
    );
    expect(conversion).toEqual({ referrer_follower_id: aId, reward: 'coupon', owner: aId });

    // A redeems it: the card shows 20 % off the other course.
    await tap(A, `info:${otherCourseId}`);
    await until(A, (m) => m.text.includes('布光入门'), 'the course card');
    await say(A, `用券 ${rewardCode}`);
    const card = await until(A, (m) => m.text.includes(`用券「${rewardCode}」后`), 'the discounted card');
    expect(card.text).toContain('40 ⭐');
    // B (who wrote in English) cannot use A's reward.
    await tap(B, `info:${otherCourseId}`);
    await until(B, (m) => m.text.includes('Lighting basics'), "B's course card");
    await say(B, `coupon ${rewardCode}`);
    await until(B, (m) => m.text.includes(`The coupon "${rewardCode}" was issued to someone else`), 'the refusal to B');

    // B's refund takes back the reward A has not used yet.
    await refundOrder({ uow, clock, gateways: new Map([['telegram_stars', channel.gateway]]) }, { orderId, actor: 'test:refund', reason: 'asked for' });
    const [revoked] = await queryRows<{ is_active: boolean; audits: number }>(
      database.db,
      sql`SELECT c.is_active, (SELECT count(*)::int FROM audit_log WHERE action = 'referral.reward_revoked' AND subject_id = c.id::text) AS audits
          FROM coupons c JOIN coupon_codes k ON k.coupon_id = c.id WHERE k.code = ${rewardCode}`,
    );
    expect(revoked).toEqual({ is_active: false, audits: 1 });
  });

  it('refuses self-referral and records nothing for it', async () => {
    const code = await inviteCodeOf(A);
    await channel.bot.handleUpdate(startUpdate(A, `ref_${code}`));
    await channel.idle();
    const aId = await followerId(A);
    expect(await queryRows(database.db, sql`SELECT 1 FROM referrals WHERE referred_follower_id = ${aId}`)).toEqual([]);
    expect((await audits('referral.refused', aId)).map((r) => r.details['reason'])).toEqual(['self']);
  });

  it("a distributor's commission: pending on payment, cancelled by a refund, payable after the refund window", async () => {
    const cId = (await (async () => {
      await say(C, 'hello');
      await until(C, () => true, 'a first reply');
      return followerId(C);
    })());
    await decideDistributor({ uow, clock }, { creatorId, input: { followerId: cId, commissionBps: 1500 }, actor: 'test' });
    const code = await inviteCodeOf(C);

    await channel.bot.handleUpdate(startUpdate(D, `ref_${code}`));
    await channel.bot.handleUpdate(startUpdate(E, `ref_${code}`));
    await channel.idle();
    const refunded = await buy(D, courseId);
    const told = await until(C, (m) => m.text.includes('佣金'), "C's commission notice");
    expect(told.text).toContain('15 ⭐');
    const kept = await buy(E, courseId);
    const ledger = async () =>
      Object.fromEntries(
        (await queryRows<{ order_id: string; status: string; commission_minor: number; currency: string }>(database.db, sql`SELECT order_id, status, commission_minor, currency FROM commission_entries WHERE distributor_follower_id = ${cId}`)).map((r) => [
          r.order_id, `${r.status} ${r.commission_minor} ${r.currency}`,
        ]),
      );
    expect(await ledger()).toEqual({ [refunded]: 'pending 15 XTR', [kept]: 'pending 15 XTR' });

    await refundOrder({ uow, clock, gateways: new Map([['telegram_stars', channel.gateway]]) }, { orderId: refunded, actor: 'test:refund', reason: 'asked for' });
    expect(await ledger()).toEqual({ [refunded]: 'cancelled 15 XTR', [kept]: 'pending 15 XTR' });

    // Not payable a minute before the window ends; payable once it has.
    clock.advance(7 * DAY - 60_000);
    expect(await releasePayableCommissions({ uow, clock })).toEqual([]);
    clock.advance(2 * 60_000);
    expect((await releasePayableCommissions({ uow, clock })).map((e) => e.orderId)).toEqual([kept]);
    expect(await ledger()).toEqual({ [refunded]: 'cancelled 15 XTR', [kept]: 'payable 15 XTR' });
    const [line] = await payoutReport({ uow, clock }, { creatorId });
    expect(line).toMatchObject({ distributorFollowerId: cId, currency: 'XTR', pendingMinor: 0, payableMinor: 15, paidOutMinor: 0, cancelledMinor: 15, orders: 2 });
  });

  it('a broadcast variant with a coupon shows the price after it, and its Buy button redeems the coupon', async () => {
    await tap(F, 'consent:yes');
    await until(F, (m) => m.text.includes('退订'), 'consent thanks');
    const campaigns = createCampaignRepositories(database.db);
    await campaigns.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '00:00', end: '00:00' } });
    const coupon = await createConsoleRepositories(database.db).coupons.insert({
      courseId, creatorId: null, code: 'SPRING30', name: 'spring', codeKind: 'single', percentOff: 30, amountOffMinor: null, currency: null, amountOffStars: null,
      validFrom: null, validUntil: null, maxRedemptions: null, perFollowerLimit: 1,
    });
    const broadcast = await createBroadcast({ campaigns: campaigns.campaigns, courses: createRepositories(database.db).courses, clock }, {
      name: 'spring coupon',
      segment: { platforms: ['telegram'] },
      variants: [{ key: 'A', text: { 'zh-CN': '春季特惠：{course}', en: 'Spring offer: {course}' }, courseId, couponCode: 'spring30' }],
    }, { id: null, role: 'admin', actor: 'test' });
    expect(broadcast.variants[0]!.couponCode).toBe('SPRING30');
    await enqueueBroadcast({ campaigns: campaigns.campaigns, audience: campaigns.audience, outbox: campaigns.outbox, clock }, broadcast.id);
    const deps = {
      outbox: campaigns.outbox, caps: campaigns.caps, guardSettings: campaigns.guardSettings, content: campaigns.content, courses: channel.repos.courses,
      messengers: new Map([['telegram' as const, channel.messenger]]), coupons: channel.repos.coupons, clock, logger: createLogger('silent'),
    };
    while ((await dispatchOutbox(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 })).claimed > 0);

    const offer = await until(F, (m) => m.text.startsWith('春季特惠'), 'the broadcast');
    expect(offer.text).toContain(`原价 ${PRICE_STARS} ⭐，用券「SPRING30」只需 70 ⭐`);
    const card = await until(F, (m) => (m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data?.startsWith('cpn:SPRING30:')), 'the card with the coupon button');
    const buy = (card.reply_markup?.inline_keyboard ?? []).flat().find((b) => b.callback_data?.startsWith('cpn:'))!;
    expect(buy.text).toBe('购买 70 ⭐');
    expect(Buffer.byteLength(buy.callback_data!)).toBeLessThanOrEqual(64);

    await tap(F, buy.callback_data!);
    const confirm = await until(F, (m) => m.text.includes('用券「SPRING30」后：70 ⭐'), 'the confirmation card with both prices');
    expect(confirm.text).toContain(`原价：${PRICE_STARS} ⭐`);
    const pay = (confirm.reply_markup?.inline_keyboard ?? []).flat().find((b) => b.callback_data?.startsWith('payc:'))!;
    await tap(F, pay.callback_data!);
    const deadline = Date.now() + 10_000;
    while (!api.calls.some((c) => c.method === 'sendInvoice' && String(c.body['chat_id']) === String(F.id))) {
      if (Date.now() > deadline) throw new Error('no invoice for F');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { payload, totalAmount } = api.pay(F);
    expect(totalAmount).toBe(70);
    await until(F, (m) => m.text.startsWith('支付成功'), 'payment received');
    const [redemption] = await queryRows<{ status: string; discount_minor: number }>(database.db, sql`SELECT status, discount_minor FROM coupon_redemptions WHERE order_id = ${payload.split(':')[0]!}`);
    expect(redemption).toEqual({ status: 'redeemed', discount_minor: 30 });
    expect((await createConsoleRepositories(database.db).coupons.findById(coupon.id))?.redeemedCount).toBe(1);
  });
});
