import { sql } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { dialogText, SUPPORT_REQUEST_SUBJECT } from '../../core/index.js';
import { queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { buildTestChannel, startFakeBotApi, testTelegramConfig } from './telegram-support.js';

const TOKEN = '5550003:dialog-test-token-abcdefgh';

type Keyboard = Array<Array<{ text: string; callback_data?: string }>>;
interface Sent {
  method: string;
  body: { chat_id?: string; text?: string; payload?: string; reply_markup?: { inline_keyboard: Keyboard } };
}

/**
 * Multi-turn conversations through the real telegraf bot and the whole chat path (update claim,
 * events, understanding model, dialog memory in the database, durable outbox) against a Bot API
 * stand-in that also takes sendInvoice, which the telegram-test-api emulator lacks.
 */
describe.each(testTargets())('Telegram conversations with dialog memory on %s', (target) => {
  let database: Database;
  let api: Awaited<ReturnType<typeof startFakeBotApi>>;
  let channel: ReturnType<typeof buildTestChannel>;
  let updateId = 70_000;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    api = await startFakeBotApi('5550003');
    channel = buildTestChannel(database, testTelegramConfig(api.apiRoot, { mode: 'webhook', webhookSecret: 'dialog-secret-0123456789' }), TOKEN);
    await channel.service.start();
  });
  afterAll(async () => {
    await channel.service.stop();
    await api.close();
    await database.close();
  });

  const from = (user: number, languageCode: string) => ({ id: user, is_bot: false, first_name: `U${user}`, language_code: languageCode });
  /** Sends one update and waits until it is answered and its replies have reached the Bot API: what it sent, in order. */
  async function exchange(update: Update, user: number): Promise<Sent[]> {
    const before = api.calls.length;
    await channel.bot.handleUpdate(update);
    await channel.idle();
    return (api.calls.slice(before) as Sent[]).filter((c) => c.body.chat_id === String(user) && c.method !== 'answerCallbackQuery');
  }
  const say = (user: number, text: string, languageCode = 'zh-hans') =>
    exchange({ update_id: ++updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: user, type: 'private', first_name: 'x' }, from: from(user, languageCode), text } } as Update, user);
  const tap = (user: number, data: string, languageCode = 'zh-hans') =>
    exchange({ update_id: ++updateId, callback_query: { id: `cb-${updateId}`, from: from(user, languageCode), chat_instance: '1', data, message: { message_id: 1, date: 0, chat: { id: user, type: 'private' } } } } as unknown as Update, user);
  const actions = (sent: Sent) => (sent.body.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
  /** The courses a list showed, in order (each card has its Details button). */
  const listed = (sent: Sent) => actions(sent).filter((a) => a.startsWith('info:')).map((a) => a.slice('info:'.length));
  const invoices = (sent: Sent[]) => sent.filter((c) => c.method === 'sendInvoice');
  const courseOfInvoice = async (invoice: Sent) => (await channel.repos.orders.findById(String(invoice.body.payload).split(':')[0]!))!.courseId;
  const course = async (slug: string) => (await channel.repos.courses.findBySlug(slug))!;

  it('list → "the second one" → confirmation card → Confirm → an invoice for exactly that course', async () => {
    const user = 81_001;
    const [list] = await say(user, 'any photography course?', 'en');
    const shown = listed(list!);
    expect(shown.length).toBeGreaterThanOrEqual(2);

    const picked = await say(user, 'the second one', 'en');
    expect(invoices(picked)).toEqual([]);
    const [card] = picked;
    const second = (await channel.repos.courses.findById(shown[1]!))!;
    expect(card!.body.text).toContain('Please confirm your purchase');
    expect(card!.body.text).toContain(second.titleEn);
    expect(card!.body.text).toContain(`${second.priceStars} ⭐`);
    expect(actions(card!)).toEqual([`pay:${second.id}`, 'nobuy']);

    const paid = await tap(user, `pay:${second.id}`, 'en');
    expect(invoices(paid)).toHaveLength(1);
    expect(await courseOfInvoice(paid[0]!)).toBe(second.id);
    expect(paid[0]!.body).toMatchObject({ currency: 'XTR', prices: [{ amount: second.priceStars }] });
  });

  it('confirms the card with a plain "确认", and Cancel opens nothing', async () => {
    const user = 81_002;
    const [list] = await say(user, '有没有摄影课？');
    const first = listed(list!)[0]!;
    const [card] = await say(user, '买第一个');
    expect(actions(card!)).toEqual([`pay:${first}`, 'nobuy']);
    const cancelled = await tap(user, 'nobuy');
    expect(invoices(cancelled)).toEqual([]);
    expect(cancelled[0]!.body.text).toBe(dialogText('zh-CN').purchaseCancelled);
    // Once cancelled, "确认" has nothing to confirm.
    expect(invoices(await say(user, '确认'))).toEqual([]);

    await say(user, '买第一个');
    const confirmed = await say(user, '确认');
    expect(invoices(confirmed)).toHaveLength(1);
    expect(await courseOfInvoice(confirmed[0]!)).toBe(first);
  });

  it('answers "买好了，怎么上课？" with how to study and never an invoice', async () => {
    const user = 81_003;
    const answered = await say(user, '买好了，怎么上课？');
    expect(invoices(answered)).toEqual([]);
    expect(answered).toHaveLength(1);
    expect(answered[0]!.body.text).toBe(dialogText('zh-CN').howToStudyNothingOwned);
    expect(actions(answered[0]!).some((a) => a.startsWith('pay:') || a.startsWith('buy:'))).toBe(false);
    const [orders] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from orders o join identities i on i.follower_id = o.follower_id where i.kind = 'telegram' and i.external_id = ${String(user)}`);
    expect(orders!.n).toBe(0);

    const watch = await say(user, '在哪里看视频？');
    expect(invoices(watch)).toEqual([]);
    const mine = await say(user, '我买过哪些课');
    expect(invoices(mine)).toEqual([]);
  });

  it('asks which course for "我想买一门课", then "第二个" opens the card for that one', async () => {
    const user = 81_004;
    const [which] = await say(user, '我想买一门课');
    expect(which!.body.text).toContain(dialogText('zh-CN').whichCourseToBuy);
    expect(actions(which!).some((a) => a.startsWith('pay:'))).toBe(false);
    const shown = listed(which!);
    const picked = await say(user, '第二个');
    expect(invoices(picked)).toEqual([]);
    expect(actions(picked[0]!)).toEqual([`pay:${shown[1]}`, 'nobuy']);
  });

  it('answers "太贵了" with cheaper courses only, never pricier ones', async () => {
    const user = 81_005;
    const portrait = await course('portrait-photography');
    await tap(user, `info:${portrait.id}`);
    const [cheaper] = await say(user, '太贵了');
    expect(cheaper!.body.text).toContain(portrait.titleZh);
    const offered = listed(cheaper!);
    expect(offered.length).toBeGreaterThan(0);
    for (const id of offered) {
      const c = (await channel.repos.courses.findById(id))!;
      expect(c.priceStars!).toBeLessThan(portrait.priceStars!);
    }
    // Sharing the course's topic comes first: the cheaper photography course leads.
    expect(offered[0]).toBe((await course('phone-photography')).id);
  });

  it('answers thanks and greetings briefly, without a search', async () => {
    const user = 81_006;
    const thanks = await say(user, 'thanks!', 'en');
    expect(thanks).toHaveLength(1);
    expect(thanks[0]!.body.text).toBe(dialogText('en').thanks);
    expect(listed(thanks[0]!)).toEqual([]);
    const hello = await say(user, '你好');
    expect(listed(hello[0]!)).toEqual([]);
  });

  it('records a refund request the team can see, states the after-sales policy and hands the chat to a person', async () => {
    const user = 81_007;
    const [answer] = await say(user, '怎么退款');
    expect(answer!.body.text).toContain('7 天内');
    expect(actions(answer!)).toEqual([]);
    const follower = (await channel.repos.followers.findByIdentity('telegram', String(user)))!;
    const rows = await queryRows<{ action: string }>(database.db, sql`select action from audit_log where subject_type = ${SUPPORT_REQUEST_SUBJECT} and subject_id = ${follower.id}`);
    expect(rows.map((r) => r.action)).toEqual(['support.refund_requested']);
    const [handoff] = await queryRows<{ reason: string; status: string }>(database.db, sql`select reason, status from handoffs where follower_id = ${follower.id}`);
    expect(handoff).toEqual({ reason: 'refund', status: 'open' });
    // A person handles it now: asking again gets the one "a person will reply" notice, then silence.
    expect((await tap(user, 'human')).map((c) => c.body.text)).toEqual([dialogText('zh-CN').handoffWaiting]);
    expect(await say(user, '转人工')).toEqual([]);
  });

  it.each([['please stop sending me messages'], ['别再给我发广告了'], ['退订'], ['STOP']])('opts out on "%s"', async (text) => {
    const user = 81_100 + text.length;
    await say(user, '你好');
    const [reply] = await say(user, text);
    expect(reply!.body.text).toMatch(/已退订|Unsubscribed/);
    expect((await channel.repos.followers.findByIdentity('telegram', String(user)))!.isOptedOut).toBe(true);
  });

  it('keeps the memory in the database, shared by processes, and forgets it after 30 minutes', async () => {
    const user = 81_008;
    const [list] = await say(user, '有没有理财课？');
    const follower = (await channel.repos.followers.findByIdentity('telegram', String(user)))!;
    const [row] = await queryRows<{ last_list: string[] }>(database.db, sql`select last_list from dialog_memory where follower_id = ${follower.id}`);
    expect(row!.last_list).toEqual(listed(list!));
    await queryRows(database.db, sql`update dialog_memory set updated_at = now() - interval '31 minutes' where follower_id = ${follower.id}`);
    const [which] = await say(user, '买第一个');
    expect(which!.body.text).toContain(dialogText('zh-CN').whichCourseToBuy);
  });
});
