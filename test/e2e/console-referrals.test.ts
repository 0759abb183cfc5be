import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { confirmPayment, type Currency } from '../../core/index.js';
import { PgUnitOfWork, queryRows, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { addAccount } from '../integration/console-support.js';
import { BotApiSink } from '../integration/campaigns-support/bot-api-sink.js';
import { ADMIN, ARTIFACTS, closeConsole, daytimeZone, describeWithChromium, launchChromium, logIn, seedSubscribers, serveConsole } from './console-support.js';

type Lang = 'en' | 'zh-CN';

/** What the page must say, in each language. */
const WORDS = {
  en: {
    pickFirst: 'Choose the creator whose referrals you want to manage.', tooBig: 'Enter a whole number from 1 to 90.', rateTooBig: 'Commission must be between 0.01% and 90%.',
    starsAlone: 'Stars off must be a whole number, given together with an amount in yuan (used outside Telegram).', amountNow: 'Now: referrers get a ¥5.50 / 20 ⭐ off coupon, valid for 30 days; refund window 7 days; on.',
    programNow: 'Now: referrers get a 10% off coupon, valid for 30 days; refund window 7 days; on.', approved: 'Approved 订阅者 1 as a distributor at 15% commission.',
    distributorRow: /订阅者 1\s+15%\s+1\s+Distributor · /, payable: 'Payable', pending: 'In refund window, not yet payable', paidOut: 'Paid out', reference: 'Transfer reference (bank reference or note)',
    paidNotice: 'Marked ¥14.85 to 订阅者 1 as paid out.', friendApproved: 'Approved 订阅者 2 as a distributor at 10% commission.', revoked: /^订阅者 2\s+10%\s+0\s+Revoked · /, yuan: 'yuan (CNY)', stars: 'Telegram Stars', yuanCommission: '¥14.85 (15%)', starsCommission: '37 ⭐ (15%)',
  },
  'zh-CN': {
    pickFirst: '请先选择要管理哪位创作者的推荐与分销。', tooBig: '请填写 1 到 90 之间的整数。', rateTooBig: '佣金比例须在 0.01% 到 90% 之间。',
    starsAlone: '星星优惠须为正整数，并且要同时填写人民币金额（其他平台使用）。', amountNow: '现在：邀请人获得减 ¥5.50 / 20 ⭐ 的优惠券，30 天内有效；退款期 7 天；已启用。',
    programNow: '现在：邀请人获得10% 优惠券，30 天内有效；退款期 7 天；已启用。', approved: '已批准 订阅者 3 为分销员，佣金 15%。',
    distributorRow: /订阅者 3\s+15%\s+1\s+分销中 · /, payable: '可结算', pending: '退款期内，待结算', paidOut: '已结算', reference: '转账凭证（银行流水号或备注）',
    paidNotice: '已将给 订阅者 3 的 ¥14.85 标记为已结算。', friendApproved: '已批准 订阅者 4 为分销员，佣金 10%。', revoked: /^订阅者 4\s+10%\s+0\s+已撤销 · /, yuan: '人民币（元）', stars: 'Telegram 星星', yuanCommission: '¥14.85（15%）', starsCommission: '37 ⭐（15%）',
  },
} as const;

/** Fills one field of a form and submits it. */
async function submitWith(form: Locator, input: string, value: string): Promise<void> {
  await form.locator(`input[name=${input}]`).fill(value);
  await form.locator('button[type=submit]').click();
}
/** Submits a value the page refuses; the note shown under the field named `errorFor`. */
async function refusal(form: Locator, input: string, value: string, errorFor: string): Promise<string> {
  await submitWith(form, input, value);
  return form.locator(`[data-error-for=${errorFor}]`).innerText();
}
/** Waits until the programme's summary reads `text`. */
const programReads = (tab: Page, text: string) => tab.waitForFunction((t) => document.querySelector('[data-testid=program-now]')?.textContent === t, text);

/**
 * The Referrals / 推荐与分销 page in Chromium over the all-in-one wiring, once in English and once
 * in Chinese, each for its own creator: an admin chooses the creator, sets the reward programme
 * (a field error in words first), approves a follower as distributor at 15 %; a referred friend
 * then pays ¥99.00 and 250 Stars through `confirmPayment`, the yuan commission passes its refund
 * window, and the admin marks it paid out with a transfer reference. Assertions are on the words.
 */
describeWithChromium('referrals page in words, in English and Chinese (Chromium)', () => {
  describe.each(testTargets())('on %s', (target) => {
    let database: Database;
    let served: Awaited<ReturnType<typeof serveConsole>>;
    let sink: BotApiSink;
    let browser: Browser;
    let page: Page;
    /** Followers: [referrer, friend] for English, [referrer, friend] for Chinese, in seeding order (订阅者 1…4). */
    let followers: string[];

    beforeAll(async () => {
      database = await openTestDatabase(target);
      sink = new BotApiSink({ latencyMs: 5 });
      served = await serveConsole(database, await sink.start());
      followers = await seedSubscribers(served.app, served.ctx, 4, daytimeZone());
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
      page.setDefaultTimeout(15_000);
      await logIn(page, served.base, ADMIN);
    }, 120_000);
    afterAll(() => closeConsole({ browser, served, sink, database }));

    /** Opens the referrals page in a language with a creator chosen. */
    const openFor = async (lang: Lang, creatorId: string) => {
      await page.evaluate((l) => localStorage.setItem('zl_lang', l), lang);
      await page.goto(`${served.base}/console/referrals`);
      await page.waitForSelector('nav a.active[data-page="referrals"]');
      await page.locator('select[aria-label=creator]').selectOption(creatorId);
      await page.locator('[data-testid=program-now]').waitFor();
    };

    /** A referred friend's paid order for a course of the creator, through the real payment use case. */
    const pay = async (friend: string, courseId: string, amountMinor: number, currency: Currency) => {
      const provider = currency === 'XTR' ? 'telegram_stars' : 'manual';
      const [order] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status)
        VALUES (${friend}, ${courseId}, ${amountMinor}, ${currency}, ${provider}, 'pending') RETURNING id`);
      await confirmPayment({ uow: new PgUnitOfWork(database.db), clock: served.ctx.clock }, { orderId: order!.id, provider, providerChargeId: `charge-${randomUUID()}`, amountMinor, currency });
      return order!.id;
    };

    it.each([['en', 0], ['zh-CN', 2]] as const)('in %s: programme, distributor, commission ledger and a payout marked paid out', async (lang, first) => {
      const w = WORDS[lang];
      const [referrer, friend] = [followers[first]!, followers[first + 1]!];
      const creator = await addAccount(database, 'creator', `ref-${lang}-${target}@example.com`);
      const courses = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, status, tags, creator_id)
        VALUES (${`ref-a-${lang}`}, '理财', 'Money', 9900, 'on_sale', '{money}', ${creator.id}), (${`ref-b-${lang}`}, '记账', 'Bookkeeping', 9900, 'on_sale', '{money}', ${creator.id}) RETURNING id`);
      await database.db.execute(sql`INSERT INTO referrals (referred_follower_id, referrer_follower_id, code, channel, attributed_at) VALUES (${friend}, ${referrer}, 'REFCODE2', 'telegram', now())`);

      await page.evaluate((l) => localStorage.setItem('zl_lang', l), lang);
      await page.goto(`${served.base}/console/referrals`);
      await page.locator(`main p:text-is("${w.pickFirst}")`).waitFor();
      await openFor(lang, creator.id);

      // The programme: 95 % is refused with a note in words under the field, 10 % is saved.
      const program = page.locator('form[aria-label="referral programme"]');
      expect(await refusal(program, 'rewardPercentOff', '95', 'rewardPercentOff')).toBe(w.tooBig);
      await submitWith(program, 'rewardPercentOff', '10');
      await programReads(page, w.programNow);
      expect(await program.locator('[data-error-for]').count()).toBe(0);

      // A distributor at 15 %, which the API stores as 1500 basis points.
      const approve = page.locator('form[aria-label="approve distributor"]');
      await approve.locator('input[aria-label="find follower"]').fill(`订阅者 ${first + 1}`);
      await approve.locator('input[aria-label="find follower"]').press('Enter');
      await approve.locator(`select[aria-label=follower] option[value="${referrer}"]`).waitFor({ state: 'attached' });
      expect(await approve.locator('select[aria-label=follower] option').count()).toBe(2);
      await approve.locator('select[aria-label=follower]').selectOption(referrer);
      // 95 % (9500 basis points) is refused by the API; the note under the field says so in words.
      expect(await refusal(approve, 'commissionPercent', '95', 'commissionBps')).toBe(w.rateTooBig);
      await submitWith(approve, 'commissionPercent', '15');
      await page.locator(`p[role=status]:text-is("${w.approved}")`).waitFor();
      expect(await page.locator(`[data-testid=distributors] tr[data-distributor="${referrer}"]`).innerText()).toMatch(w.distributorRow);
      expect(await queryRows(database.db, sql`SELECT commission_bps, status FROM distributors WHERE creator_id = ${creator.id}`)).toEqual([{ commission_bps: 1500, status: 'approved' }]);

      // The friend pays ¥99.00 and 250 Stars; the yuan order's refund window has passed, the Stars one's has not.
      const yuanOrder = await pay(friend, courses[0]!.id, 9900, 'CNY');
      await pay(friend, courses[1]!.id, 250, 'XTR');
      await database.db.execute(sql`UPDATE commission_entries SET payable_after = now() - interval '1 day' WHERE order_id = ${yuanOrder}`);

      await openFor(lang, creator.id);
      const yuan = page.locator(`[data-testid=payouts] tr[data-payout="${referrer}:CNY"]`);
      const stars = page.locator(`[data-testid=payouts] tr[data-payout="${referrer}:XTR"]`);
      await yuan.waitFor();
      expect(await yuan.innerText()).toContain(w.yuan);
      expect(await yuan.locator('[data-cell=payable]').innerText()).toBe('¥14.85');
      expect(await yuan.locator('[data-cell=paidOut]').innerText()).toBe('¥0.00');
      expect(await stars.innerText()).toContain(w.stars);
      expect(await stars.locator('[data-cell=pending]').innerText()).toBe('37 ⭐');
      expect(await stars.locator('[data-cell=payable]').innerText()).toBe('0 ⭐');
      expect(await stars.locator('button').count()).toBe(0);
      // The ledger loads after the payout report (which releases what became payable).
      const ledger = page.locator('[data-testid=commissions] tbody tr');
      await ledger.nth(1).waitFor();
      expect(await ledger.count()).toBe(2);
      const ledgerText = await page.locator('[data-testid=commissions]').innerText();
      expect(ledgerText).toContain('¥99.00');
      expect(ledgerText).toContain(w.yuanCommission);
      expect(ledgerText).toContain('250 ⭐');
      expect(ledgerText).toContain(w.starsCommission);
      expect((await ledger.locator('[data-cell=status]').allInnerTexts()).sort()).toEqual([w.payable, w.pending].sort());
      expect(await page.locator('main').innerText()).not.toMatch(/paid_out|commissionBps|distributorFollowerId|undefined|NaN/);

      // Marking the yuan commission paid out asks for the transfer reference; the row moves to paid out.
      await yuan.locator('button').click();
      const mark = yuan.locator('form[aria-label="mark paid out"]');
      expect(await mark.locator('label').innerText()).toContain(w.reference);
      await mark.locator('input[name=reference]').fill(`bank ${lang} 0001`);
      await mark.locator('button[type=submit]').click();
      await page.locator(`p[role=status]:text-is("${w.paidNotice}")`).waitFor();
      await page.waitForFunction((key) => document.querySelector(`[data-testid=payouts] tr[data-payout="${key}"] [data-cell=paidOut]`)?.textContent === '¥14.85', `${referrer}:CNY`);
      expect(await yuan.locator('[data-cell=payable]').innerText()).toBe('¥0.00');
      expect(await yuan.locator('button').count()).toBe(0);
      await page.waitForFunction((expected) => [...document.querySelectorAll('[data-testid=commissions] [data-cell=status]')].map((c) => c.textContent).sort().join('|') === expected, [w.paidOut, w.pending].sort().join('|'));
      const [audit] = await queryRows<{ actor: string; details: { amountMinor: number; reference: string } }>(
        database.db, sql`SELECT actor, details FROM audit_log WHERE action = 'commission.paid_out' AND subject_id = ${referrer}`,
      );
      expect(audit).toMatchObject({ details: { amountMinor: 1485, reference: `bank ${lang} 0001` } });
      await page.screenshot({ path: `${ARTIFACTS}/page-referrals-${lang === 'en' ? 'en' : 'zh'}-${target}.png`, fullPage: true });

      // The creator sees only their own programme and payouts, with no creator to choose, and approves (then revokes) the friend by their referral code.
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      const tab = await context.newPage();
      try {
        await tab.addInitScript((l) => localStorage.setItem('zl_lang', l), lang);
        await logIn(tab, served.base, { email: creator.email, password: 'correct horse battery' });
        await tab.goto(`${served.base}/console/referrals`);
        await programReads(tab, w.programNow);
        expect(await tab.locator('select[aria-label=creator]').count()).toBe(0);
        await tab.locator('[data-testid=payouts] tbody tr').nth(1).waitFor();
        expect(await tab.locator('[data-testid=payouts] tbody tr').count()).toBe(2);
        expect(await tab.locator(`[data-testid=payouts] tr[data-payout="${referrer}:CNY"] [data-cell=paidOut]`).innerText()).toBe('¥14.85');
        // The creator switches the reward to an amount off: Stars alone are refused in words, yuan plus Stars are saved.
        const reward = tab.locator('form[aria-label="referral programme"]');
        await reward.locator('input[type=radio]').nth(1).check();
        expect(await refusal(reward, 'rewardAmountOffStars', '20', 'rewardAmountOffStars')).toBe(w.starsAlone);
        await submitWith(reward, 'rewardAmountOff', '5.5');
        await programReads(tab, w.amountNow);
        expect(await queryRows(database.db, sql`SELECT reward_percent_off, reward_amount_off_minor, reward_currency, reward_amount_off_stars FROM referral_programs WHERE creator_id = ${creator.id}`)).toEqual([
          { reward_percent_off: null, reward_amount_off_minor: 550, reward_currency: 'CNY', reward_amount_off_stars: 20 },
        ]);
        // The creator knows the friend by the referral code in the link they share, typed in any case.
        const code = `FRND${lang === 'en' ? 'EN' : 'ZH'}${target === 'pglite' ? '1' : '2'}A`;
        await database.db.execute(sql`INSERT INTO referral_codes (follower_id, code) VALUES (${friend}, ${code}) ON CONFLICT (follower_id) DO UPDATE SET code = excluded.code`);
        const form = tab.locator('form[aria-label="approve distributor"]');
        await form.locator('input[name=followerId]').fill(code.toLowerCase());
        await submitWith(form, 'commissionPercent', '10');
        await tab.locator(`p[role=status]:text-is("${w.friendApproved}")`).waitFor();
        const friendRow = tab.locator(`[data-testid=distributors] tr[data-distributor="${friend}"]`);
        await friendRow.locator('button.danger').click();
        await tab.waitForFunction(([id, pattern]) => new RegExp(pattern!).test((document.querySelector(`[data-testid=distributors] tr[data-distributor="${id}"]`) as HTMLElement | null)?.innerText ?? ''), [friend, w.revoked.source]);
        expect(await queryRows(database.db, sql`SELECT follower_id, commission_bps, status FROM distributors WHERE creator_id = ${creator.id} ORDER BY commission_bps`)).toEqual([
          { follower_id: friend, commission_bps: 1000, status: 'revoked' }, { follower_id: referrer, commission_bps: 1500, status: 'approved' },
        ]);
      } finally {
        await context.close();
      }
    }, 90_000);
  });
});
