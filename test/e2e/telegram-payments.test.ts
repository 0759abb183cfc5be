import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { systemClock } from '../../core/index.js';
import { queryRows, seedDemoCatalogue, seedDemoLearning, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { createTestApp } from '../support/http.js';
import { buildTestChannel, startFakeBotApi, testTelegramConfig } from './telegram-support.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/telegram');
const fixture = <T extends Update>(name: string): T => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as T;
const TOKEN = '5550002:payments-test-token-abcdef';
const SECRET = 'webhook-secret-0123456789';
const USER = 424242;
const GROUP = '-1001234567890';

describe.each(testTargets())('Telegram Stars payments and webhook on %s', (target) => {
  let database: Database;
  let api: Awaited<ReturnType<typeof startFakeBotApi>>;
  let channel: ReturnType<typeof buildTestChannel>;
  let courseId: string;
  let priceStars: number;
  let updateId = 50_000;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    await seedDemoLearning({ db: database.db, clock: systemClock });
    // The course has a private learners' group: each buyer gets a one-person invite.
    await queryRows(database.db, sql`UPDATE courses SET telegram_chat_id = ${GROUP} WHERE slug = 'phone-photography'`);
    api = await startFakeBotApi('5550002');
    channel = buildTestChannel(database, testTelegramConfig(api.apiRoot, { mode: 'webhook', webhookSecret: SECRET }), TOKEN);
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

  const callsOf = (method: string) => api.calls.filter((c) => c.method === method);
  const tap = (data: string): Update =>
    ({ update_id: ++updateId, callback_query: { id: `cb-${updateId}`, from: { id: USER, is_bot: false, first_name: 'Li', language_code: 'en' }, chat_instance: '1', data, message: { message_id: 1, date: 0, chat: { id: USER, type: 'private' } } } }) as unknown as Update;
  const preCheckout = (payload: string, totalAmount: number): Update => {
    const u = fixture<Update.PreCheckoutQueryUpdate>('pre-checkout-query');
    return { ...u, update_id: ++updateId, pre_checkout_query: { ...u.pre_checkout_query, id: `pcq-${updateId}`, invoice_payload: payload, total_amount: totalAmount } };
  };
  const paid = (payload: string, chargeId: string, id = ++updateId): Update => {
    const u = fixture<Update.MessageUpdate>('successful-payment');
    const message = u.message as Update.MessageUpdate['message'] & { successful_payment: Record<string, unknown> };
    const successful_payment = { ...message.successful_payment, invoice_payload: payload, telegram_payment_charge_id: chargeId, total_amount: priceStars };
    return { ...u, update_id: id, message: { ...message, successful_payment } } as Update;
  };
  const owns = async () => {
    const follower = await channel.repos.followers.findByIdentity('telegram', String(USER));
    return follower ? (await channel.repos.entitlements.ownedCourseIds(follower.id)).has(courseId) : false;
  };

  let payload = '';
  let orderId = '';

  it('answers a Buy tap with a confirmation card, and sends the Stars invoice only on Confirm', async () => {
    await channel.bot.handleUpdate(tap(`buy:${courseId}`));
    // The update is done once its replies are queued; the card and the callback answer go out in the background.
    await channel.idle();
    const card = callsOf('sendMessage').at(-1)!.body as { text: string; reply_markup: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } };
    expect(card.text).toContain('Smartphone Photography Masterclass');
    expect(card.text).toContain(`${priceStars} ⭐`);
    expect(card.reply_markup.inline_keyboard.flat().map((b) => b.callback_data)).toEqual([`pay:${courseId}`, 'nobuy']);
    expect(callsOf('sendInvoice')).toHaveLength(0);

    await channel.bot.handleUpdate(tap(`pay:${courseId}`));
    await channel.idle();
    const invoice = callsOf('sendInvoice').at(-1)!.body;
    expect(invoice).toMatchObject({ chat_id: String(USER), currency: 'XTR', provider_token: '', prices: [{ amount: priceStars }] });
    expect(callsOf('answerCallbackQuery')).toHaveLength(2);
    payload = String(invoice['payload']);
    orderId = payload.split(':')[0]!;
    expect((await channel.repos.orders.findById(orderId))).toMatchObject({ status: 'pending', amountMinor: priceStars, currency: 'XTR' });
  });

  it('refuses a pre-checkout whose amount does not match the order', async () => {
    await channel.bot.handleUpdate(preCheckout(payload, priceStars - 1));
    expect(callsOf('answerPreCheckoutQuery').at(-1)!.body).toMatchObject({ ok: false, error_message: 'The price has changed; please tap Buy again.' });
  });

  it('accepts a valid pre-checkout, then grants the course once on successful_payment, even when replayed', async () => {
    const started = Date.now();
    await channel.bot.handleUpdate(preCheckout(payload, priceStars));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(callsOf('answerPreCheckoutQuery').at(-1)!.body).toMatchObject({ ok: true });

    const update = paid(payload, 'stxCHARGE-A');
    await channel.bot.handleUpdate(update);
    await channel.bot.handleUpdate(structuredClone(update));
    await channel.bot.handleUpdate(paid(payload, 'stxCHARGE-A'));
    expect(await owns()).toBe(true);
    expect((await channel.repos.orders.findById(orderId))).toMatchObject({ status: 'paid', providerChargeId: 'stxCHARGE-A' });
    const [purchases] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where kind = 'purchase' and course_id = ${courseId}`);
    expect(purchases!.n).toBe(1);
    expect(callsOf('sendMessage').filter((c) => String(c.body['text']).startsWith('Payment received'))).toHaveLength(1);
    // One invite link for the one confirmed payment, good for one member, sent as a button.
    expect(callsOf('createChatInviteLink')).toEqual([{ method: 'createChatInviteLink', body: { chat_id: GROUP, member_limit: 1, name: `order ${orderId.slice(0, 8)}` } }]);
    const invite = callsOf('sendMessage').find((c) => JSON.stringify(c.body['reply_markup'] ?? '').includes('https://t.me/+invite'));
    expect(invite?.body['text']).toBe('Your invite to the learners’ group: it works once, for you only.');

    await channel.bot.handleUpdate(preCheckout(payload, priceStars));
    expect(callsOf('answerPreCheckoutQuery').at(-1)!.body).toMatchObject({ ok: false });
  });

  it('gives the buyer something to study at once: the lessons, a signed link, done and check-in buttons', async () => {
    const texts = () => callsOf('sendMessage').map((c) => String(c.body['text']));
    const list = texts().find((t) => /% done/.test(t));
    expect(list).toMatch(/0% done/);
    expect(list).toMatch(/▶️ Lesson 1/);
    const withButtons = callsOf('sendMessage').find((c) => JSON.stringify(c.body['reply_markup'] ?? '').includes('done:'))!;
    const keyboard = JSON.stringify(withButtons.body['reply_markup']);
    expect(keyboard).toMatch(/http:\/\/127\.0\.0\.1:3000\/learn\//);
    const lessonId = /done:([0-9a-f-]{36})/.exec(keyboard)![1]!;

    const before = texts().length;
    await channel.bot.handleUpdate(tap(`done:${lessonId}`));
    await channel.idle();
    expect(texts().slice(before).some((t) => /✅ Lesson 1/.test(t))).toBe(true);
    const [completed] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where kind = 'lesson_complete' and course_id = ${courseId}`);
    expect(completed!.n).toBe(1);

    await channel.bot.handleUpdate(tap(`checkin:${courseId}`));
    await channel.idle();
    expect(texts().some((t) => t.startsWith('Checked in!'))).toBe(true);
  });

  it('gives back a second charge for a paid order, and a charge for an unknown invoice, telling the payer once', async () => {
    const refundsBefore = callsOf('refundStarPayment').length;
    const second = paid(payload, 'stxCHARGE-B');
    await channel.bot.handleUpdate(second);
    await channel.bot.handleUpdate(structuredClone(second));
    await channel.bot.handleUpdate(paid('not-an-invoice-of-ours', 'stxCHARGE-C'));
    await channel.idle();
    expect(callsOf('refundStarPayment').slice(refundsBefore).map((c) => c.body)).toEqual([
      { user_id: USER, telegram_payment_charge_id: 'stxCHARGE-B' },
      { user_id: USER, telegram_payment_charge_id: 'stxCHARGE-C' },
    ]);
    expect(callsOf('sendMessage').filter((c) => String(c.body['text']).includes('Stars have been refunded'))).toHaveLength(2);
    // The order keeps its first charge and the course stays granted.
    expect((await channel.repos.orders.findById(orderId))).toMatchObject({ status: 'paid', providerChargeId: 'stxCHARGE-A' });
    expect(await owns()).toBe(true);

    // A charge id that already paid another order is that order's money: nothing is refunded.
    const other = (await channel.repos.courses.list({ page: 1, pageSize: 50, status: 'on_sale' })).items.find((c) => c.id !== courseId && c.priceStars === priceStars)!;
    await channel.bot.handleUpdate(tap(`pay:${other.id}`));
    await channel.idle();
    const otherPayload = String(callsOf('sendInvoice').at(-1)!.body['payload']);
    await channel.bot.handleUpdate(paid(otherPayload, 'stxCHARGE-A'));
    await channel.idle();
    expect(callsOf('refundStarPayment').slice(refundsBefore)).toHaveLength(2);
    expect((await channel.repos.orders.findById(otherPayload.split(':')[0]!))).toMatchObject({ status: 'pending' });
  });

  it('refunds through the admin API with refundStarPayment and revokes the course', async () => {
    const t = createTestApp(database, { mounts: channel.mounts });
    await request(t.app).post(`/api/orders/${orderId}/refund`).send({ reason: 'asked' }).expect(401);
    const res = await request(t.app).post(`/api/orders/${orderId}/refund`).set(t.auth).send({ reason: 'asked' }).expect(200);
    expect(res.body.order).toMatchObject({ id: orderId, status: 'refunded' });
    expect(callsOf('refundStarPayment').at(-1)!.body).toEqual({ user_id: USER, telegram_payment_charge_id: 'stxCHARGE-A' });
    expect(await owns()).toBe(false);
    const refunds = callsOf('refundStarPayment').length;
    await request(t.app).post(`/api/orders/${orderId}/refund`).set(t.auth).send({}).expect(409);
    expect(callsOf('refundStarPayment')).toHaveLength(refunds);
    // The refund took the lessons away too.
    await channel.bot.handleUpdate(tap(`learn:${courseId}`));
    await channel.idle();
    expect(String(callsOf('sendMessage').at(-1)!.body['text'])).toBe('You have not bought this course yet; buy it to start learning.');
  });

  it('takes webhook updates only with the right secret token', async () => {
    const t = createTestApp(database, { mounts: channel.mounts });
    const update = { update_id: ++updateId, message: { message_id: 3, date: 0, chat: { id: 777001, type: 'private' }, from: { id: 777001, is_bot: false, first_name: 'W' }, text: 'hello' } };
    const countEvents = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where external_id = ${`${channel.botId}:${update.update_id}`}`))[0]!.n;
    const missing = await request(t.app).post('/telegram/webhook').send(update).expect(401);
    expect(missing.body.error.code).toBe('bad_webhook_secret');
    await request(t.app).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', 'wrong-secret-0123456789').send(update).expect(401);
    expect(await countEvents()).toBe(0);
    await request(t.app).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send({ nope: 1 }).expect(400);
    await request(t.app).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(update).expect(200);
    expect(await countEvents()).toBe(1);
    await channel.idle();
    expect(callsOf('sendMessage').some((c) => c.body['chat_id'] === '777001')).toBe(true);
  });
});
