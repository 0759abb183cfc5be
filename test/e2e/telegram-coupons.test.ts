import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { createConsoleRepositories, queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { buildTestChannel, startFakeBotApi, testTelegramConfig } from './telegram-support.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/telegram');
const fixture = <T extends Update>(name: string): T => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as T;
const TOKEN = '5550003:coupons-test-token-abcdef';
const BUYER = 515151;
const LATECOMER = 525252;

type Keyboard = Array<Array<{ text: string; callback_data?: string }>>;

describe.each(testTargets())('A coupon redeemed through the real telegraf bot on %s', (target) => {
  let database: Database;
  let api: Awaited<ReturnType<typeof startFakeBotApi>>;
  let channel: ReturnType<typeof buildTestChannel>;
  let courseId: string;
  let priceStars: number;
  let updateId = 70_000;

  const coupon = (fields: { code: string; percentOff?: number; maxRedemptions?: number; validUntil?: Date | null; courseId?: string | null }) =>
    createConsoleRepositories(database.db).coupons.insert({
      courseId: fields.courseId === undefined ? courseId : fields.courseId, creatorId: null, code: fields.code, name: '', codeKind: 'single', percentOff: fields.percentOff ?? 20,
      amountOffMinor: null, currency: null, amountOffStars: null, validFrom: null, validUntil: fields.validUntil ?? null, maxRedemptions: fields.maxRedemptions ?? null, perFollowerLimit: 1,
    });

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    api = await startFakeBotApi('5550003');
    channel = buildTestChannel(database, testTelegramConfig(api.apiRoot), TOKEN);
    await channel.service.start();
    const course = (await channel.repos.courses.findBySlug('phone-photography'))!;
    courseId = course.id;
    priceStars = course.priceStars!;
  });
  afterAll(async () => {
    await channel.service.stop();
    await api.close();
    await database.close();
  });

  const from = (user: number, language_code: string) => ({ id: user, is_bot: false, first_name: 'Li', language_code });
  const say = async (user: number, text: string, language = 'en') => {
    await channel.bot.handleUpdate({ update_id: ++updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: user, type: 'private', first_name: 'Li' }, from: from(user, language), text } } as Update);
    await channel.idle();
  };
  const tap = async (user: number, data: string, language = 'en') => {
    await channel.bot.handleUpdate({ update_id: ++updateId, callback_query: { id: `cb-${updateId}`, from: from(user, language), chat_instance: '1', data, message: { message_id: 1, date: 0, chat: { id: user, type: 'private' } } } } as unknown as Update);
    await channel.idle();
  };
  const callsOf = (method: string) => api.calls.filter((c) => c.method === method);
  const messagesTo = (user: number) => callsOf('sendMessage').filter((c) => c.body['chat_id'] === String(user) || c.body['chat_id'] === user);
  const lastCard = (user: number) => messagesTo(user).at(-1)!.body as { text: string; reply_markup?: { inline_keyboard: Keyboard } };
  const buttonsOf = (card: { reply_markup?: { inline_keyboard: Keyboard } }) => (card.reply_markup?.inline_keyboard ?? []).flat();
  const paid = (payload: string, chargeId: string, totalAmount: number): Update => {
    const u = fixture<Update.MessageUpdate>('successful-payment');
    const message = u.message as Update.MessageUpdate['message'] & { successful_payment: Record<string, unknown> };
    return {
      ...u,
      update_id: ++updateId,
      message: { ...message, chat: { id: BUYER, type: 'private', first_name: 'Li' }, from: from(BUYER, 'en'), successful_payment: { ...message.successful_payment, invoice_payload: payload, telegram_payment_charge_id: chargeId, total_amount: totalAmount } },
    } as Update;
  };
  const preCheckout = (payload: string, totalAmount: number): Update => {
    const u = fixture<Update.PreCheckoutQueryUpdate>('pre-checkout-query');
    return { ...u, update_id: ++updateId, pre_checkout_query: { ...u.pre_checkout_query, id: `pcq-${updateId}`, from: from(BUYER, 'en'), invoice_payload: payload, total_amount: totalAmount } } as Update;
  };

  it('types "coupon SAVE20", sees both prices, confirms, and is invoiced the discounted Stars; paid once even when redelivered', async () => {
    const save20 = await coupon({ code: 'SAVE20', percentOff: 20, maxRedemptions: 1 });
    const discounted = Math.floor((priceStars * 80) / 100);
    await say(BUYER, 'coupon save20');
    const card = lastCard(BUYER);
    expect(card.text).toContain('Smartphone Photography Masterclass');
    expect(card.text).toContain(`Regular price: ${priceStars} ⭐`);
    expect(card.text).toContain(`With coupon SAVE20: ${discounted} ⭐`);
    const confirm = buttonsOf(card)[0]!;
    expect(confirm.text).toBe(`Confirm, pay ${discounted} ⭐`);
    expect(Buffer.byteLength(confirm.callback_data!)).toBeLessThanOrEqual(64);
    expect(callsOf('sendInvoice')).toHaveLength(0);

    await tap(BUYER, confirm.callback_data!);
    const invoice = callsOf('sendInvoice').at(-1)!.body;
    expect(invoice).toMatchObject({ currency: 'XTR', prices: [{ amount: discounted }] });
    const payload = String(invoice['payload']);
    const orderId = payload.split(':')[0]!;
    expect(await channel.repos.orders.findById(orderId)).toMatchObject({ status: 'pending', amountMinor: discounted, originalAmountMinor: priceStars, couponId: save20.id });

    await channel.bot.handleUpdate(preCheckout(payload, discounted));
    expect(callsOf('answerPreCheckoutQuery').at(-1)!.body).toMatchObject({ ok: true });
    const update = paid(payload, 'stxCOUPON-1', discounted);
    await channel.bot.handleUpdate(update);
    await channel.bot.handleUpdate(structuredClone(update));
    await channel.bot.handleUpdate(paid(payload, 'stxCOUPON-1', discounted));
    await channel.idle();

    expect(await channel.repos.orders.findById(orderId)).toMatchObject({ status: 'paid', amountMinor: discounted });
    const [row] = await queryRows<{ redeemed_count: number; status: string; discount_minor: number; audits: number }>(
      database.db,
      sql`SELECT c.redeemed_count, r.status, r.discount_minor,
                 (SELECT count(*)::int FROM audit_log WHERE action = 'coupon.redeemed' AND subject_id = ${save20.id}) AS audits
          FROM coupons c JOIN coupon_redemptions r ON r.coupon_id = c.id WHERE c.id = ${save20.id}`,
    );
    expect(row).toEqual({ redeemed_count: 1, status: 'redeemed', discount_minor: priceStars - discounted, audits: 1 });
  });

  it('refuses a coupon that has run out, in Chinese, and offers the card at the regular price', async () => {
    await say(LATECOMER, '用券 SAVE20', 'zh-hans');
    const texts = messagesTo(LATECOMER).map((c) => String(c.body['text']));
    expect(texts).toContain('优惠券「SAVE20」已经被领完了。');
    const card = lastCard(LATECOMER);
    expect(card.text).toContain(`价格：${priceStars} ⭐`);
    expect(buttonsOf(card)[0]!.callback_data).toBe(`pay:${courseId}`);
  });

  it('refuses an expired and an unknown coupon (in the follower\'s Chinese), and a second use by the same follower (in English)', async () => {
    await coupon({ code: 'OLD10', percentOff: 10, validUntil: new Date(Date.now() - 60_000) });
    await say(LATECOMER, 'coupon OLD10');
    expect(messagesTo(LATECOMER).map((c) => String(c.body['text']))).toContain('优惠券「OLD10」已过期。');
    await say(LATECOMER, 'promo code NOPE99');
    expect(lastCard(LATECOMER).text).toBe('没有找到优惠券「NOPE99」，请检查券码。');

    const other = await channel.repos.courses.findBySlug('python-zero-to-hero');
    const third = await channel.repos.courses.findBySlug('sql-for-analysts');
    await coupon({ code: 'ONCE', percentOff: 10, courseId: null });
    // The buyer owns the photography course; an all-course coupon applies to the course in view.
    await tap(BUYER, `info:${other!.id}`);
    await say(BUYER, 'coupon ONCE');
    const pay = buttonsOf(lastCard(BUYER))[0]!.callback_data!;
    expect(pay.startsWith('payc:')).toBe(true);
    await tap(BUYER, pay);
    const invoice = callsOf('sendInvoice').at(-1)!.body;
    const orderId = String(invoice['payload']).split(':')[0]!;
    await channel.bot.handleUpdate(paid(String(invoice['payload']), 'stxCOUPON-2', Number((invoice['prices'] as Array<{ amount: number }>)[0]!.amount)));
    await channel.idle();
    expect((await channel.repos.orders.findById(orderId))?.status).toBe('paid');
    await tap(BUYER, `info:${third!.id}`);
    await say(BUYER, 'coupon ONCE');
    expect(messagesTo(BUYER).map((c) => String(c.body['text']))).toContain('You have already used the coupon "ONCE" as often as it allows.');
  });
});
