import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../models/index.js';
import { openTestDatabase } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { seedActivity } from '../integration/console-support.js';
import { BotApiSink } from '../integration/campaigns-support/bot-api-sink.js';
import { ADMIN, ARTIFACTS, closeConsole, daytimeZone, describeWithChromium, launchChromium, logIn, seedSubscribers, serveConsole } from './console-support.js';

/** Followers who accept marketing on Telegram; every third reads English, the rest Chinese. */
const SUBSCRIBERS = 12;
const ENGLISH_SUBSCRIBERS = Math.ceil(SUBSCRIBERS / 3);
/** Two cohorts of the dashboard's activity (followers, days ago); every 6th pays ¥199. */
const COHORTS = [[30, 2], [30, 1]] as const;
const FOLLOWERS = COHORTS.reduce((n, [f]) => n + f, 0) + SUBSCRIBERS;
const PAYERS = COHORTS.reduce((n, [f]) => n + Math.ceil(f / 6), 0);
type Lang = 'en' | 'zh-CN';

/**
 * The console pages a creator reads without a manual, in Chromium over the all-in-one wiring, each
 * in English and in Chinese: the assertions are on the words on the page, not on field names.
 */
describeWithChromium('console pages in words, in English and Chinese (Chromium)', () => {
  let database: Database;
  let served: Awaited<ReturnType<typeof serveConsole>>;
  let sink: BotApiSink;
  let browser: Browser;
  let page: Page;
  let courseId: string;
  let bigBuyer: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    sink = new BotApiSink({ latencyMs: 5 });
    served = await serveConsole(database, await sink.start());
    const [course] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into courses (slug, title_zh, title_en, price_minor, status, tags) values ('photo-basics', '摄影基础', 'Photography basics', 19900, 'on_sale', '{photography}') returning id`,
    );
    courseId = course!.id;
    const cohorts = [];
    for (const [followers, daysAgo] of COHORTS) cohorts.push(await seedActivity(served.app, database, courseId, followers, new Date(Date.now() - daysAgo * 86_400_000)));
    // The first follower also paid 49 Stars on Telegram: two currencies that must never be added up.
    bigBuyer = cohorts[0]!.ids[0]!;
    await database.db.execute(sql`insert into orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
      values (${bigBuyer}, ${courseId}, 49, 'XTR', 'telegram_stars', 'paid', ${new Date(Date.now() - 86_400_000)})`);
    await seedSubscribers(served.app, served.ctx, SUBSCRIBERS, daytimeZone());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    page.setDefaultTimeout(15_000);
    await page.addInitScript(() => { if (!localStorage.getItem('zl_lang')) localStorage.setItem('zl_lang', 'en'); });
    await logIn(page, served.base, ADMIN);
  }, 120_000);
  afterAll(() => closeConsole({ browser, served, sink, database }));

  const shoot = (name: string, lang: Lang) => page.screenshot({ path: `${ARTIFACTS}/page-${name}-${lang === 'en' ? 'en' : 'zh'}.png`, fullPage: false });
  /** Switches the console's language and opens a page. */
  const openIn = async (lang: Lang, slug: string, tab = page) => {
    await tab.evaluate((l) => localStorage.setItem('zl_lang', l), lang);
    await tab.goto(`${served.base}/console/${slug}`);
    await tab.waitForSelector(`nav a.active[data-page="${slug}"]`);
  };
  const adminApi = () => request(served.base);

  it('dashboard: a true funnel with the rate from each step before, revenue per currency, nothing mixed', async () => {
    const words = {
      en: { active: 'Active followers', rate: /^\d+% of the step before$/, yuan: 'Revenue by day in yuan (CNY)', stars: 'Revenue by day in Telegram Stars', byCourse: 'Revenue by course in Telegram Stars' },
      'zh-CN': { active: '活跃粉丝', rate: /^上一步的 \d+%$/, yuan: '人民币（元）每日收入', stars: 'Telegram 星星每日收入', byCourse: 'Telegram 星星课程收入' },
    };
    for (const lang of ['en', 'zh-CN'] as const) {
      const w = words[lang];
      await openIn(lang, 'dashboard');
      const funnel = page.locator('[data-testid=funnel]');
      await funnel.waitFor();
      expect(await funnel.locator('[data-step=active] .funnel-label').innerText()).toBe(w.active);
      const counts = (await funnel.locator('.funnel-step strong').allInnerTexts()).map(Number);
      expect(counts).toHaveLength(5);
      expect(counts[0]).toBe(FOLLOWERS); // everyone did something in the last 30 days
      for (let i = 1; i < counts.length; i += 1) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]!);
      expect(counts[4]).toBe(PAYERS);
      for (const rate of (await funnel.locator('.funnel-step small').allInnerTexts()).slice(1)) expect(rate).toMatch(w.rate);
      expect(await page.locator('[data-revenue-currency=CNY] h3').innerText()).toBe(w.yuan);
      expect(await page.locator('[data-revenue-currency=XTR] h3').innerText()).toBe(w.stars);
      expect(await page.locator('[data-course-revenue-currency=XTR] h3').innerText()).toBe(w.byCourse);
      const top = page.locator('[data-testid=top-courses] tbody tr').first();
      expect(await top.innerText()).toContain(lang === 'en' ? 'Photography basics' : '摄影基础');
      expect(await top.innerText()).toContain(`¥${(199 * PAYERS).toFixed(2)} · 49 ⭐`);
      await shoot('dashboard', lang);
    }
  }, 60_000);

  it('followers: paged, filtered and sorted; the persona in sentences; the timeline says what was said, viewed and bought', async () => {
    const words = {
      en: {
        page1: `Page 1 of 3, ${FOLLOWERS} followers`, page2: `Page 2 of 3, ${FOLLOWERS} followers`, buyers: `Page 1 of 1, ${PAYERS} followers`,
        bought: 'Bought 2 courses, ¥199.00 · 49 ⭐.', active: /^Usually active \d\d:00–\d\d:00 \(their time, [\w/]+\)\. Last active .+; \d+ actions in the last 30 days\.$/,
        said: 'Said: “python 课程”', viewed: 'Viewed “Photography basics”', checkout: 'Started checkout for “Photography basics” (not paid)',
      },
      'zh-CN': {
        page1: `第 1/3 页，共 ${FOLLOWERS} 位粉丝`, page2: `第 2/3 页，共 ${FOLLOWERS} 位粉丝`, buyers: `第 1/1 页，共 ${PAYERS} 位粉丝`,
        bought: '买了 2 门课，共 ¥199.00 · 49 ⭐。', active: /^通常在 \d\d:00–\d\d:00 活跃（当地时间，[\w/]+）。最近一次活动在.+；近 30 天有 \d+ 次动作。$/,
        said: '说：“python 课程”', viewed: '浏览了《摄影基础》', checkout: '下单《摄影基础》（未付款）',
      },
    };
    for (const lang of ['en', 'zh-CN'] as const) {
      const w = words[lang];
      await openIn(lang, 'followers');
      const pager = page.locator('[data-testid=follower-page]');
      await page.waitForFunction((text) => document.querySelector('[data-testid=follower-page]')?.textContent === text, w.page1);
      expect(await page.locator('[data-testid=follower-list] tbody tr').count()).toBe(25);
      const firstPage = await page.locator('[data-testid=follower-list] tbody tr').first().getAttribute('data-follower');
      await page.click(`.pager button:text("${lang === 'en' ? 'Next' : '下一页'}")`);
      await page.waitForFunction((text) => document.querySelector('[data-testid=follower-page]')?.textContent === text, w.page2);
      expect(await page.locator('[data-testid=follower-list] tbody tr').first().getAttribute('data-follower')).not.toBe(firstPage);

      await page.selectOption('select[aria-label=audience]', 'buyers');
      await page.selectOption('select[aria-label=sort]', 'orders:desc');
      await page.waitForFunction((text) => document.querySelector('[data-testid=follower-page]')?.textContent === text, w.buyers);
      expect(await pager.innerText()).toBe(w.buyers);
      // Most purchases first: the follower with two orders (yuan and Stars) leads once the sorted answer is in.
      const first = page.locator('[data-testid=follower-list] tbody tr:first-child');
      await page.locator(`[data-testid=follower-list] tbody tr:first-child[data-follower="${bigBuyer}"]`).waitFor();
      expect(await first.getAttribute('data-follower')).toBe(bigBuyer);
      await first.click();
      const detail = page.locator('[data-testid=follower-detail]');
      await detail.locator('[data-testid=persona-bought]').waitFor();
      expect(await detail.locator('[data-testid=persona-bought]').innerText()).toBe(w.bought);
      expect(await detail.locator('[data-testid=persona-active]').innerText()).toMatch(w.active);
      expect(await detail.locator('[data-testid=persona-interests]').innerText()).not.toMatch(/[a-z]+-[a-z]+|weight/);
      expect(await detail.locator('[data-testid=persona-hours] .hours span').count()).toBe(24);
      await detail.locator('[data-testid=timeline] tr[data-kind=view]').waitFor();
      const timeline = await detail.locator('[data-testid=timeline]').innerText();
      for (const sentence of [w.said, w.viewed, w.checkout]) expect(timeline).toContain(sentence);
      expect(await detail.innerText()).not.toMatch(/recencyDays|peakHour|priceBand|lifecycle|\d{4}-\d\d-\d\dT/);
      await shoot('followers', lang);
    }
  }, 60_000);

  it('broadcasts: a warning before a language is missing; the list and the detail say the same, skipped sends with their reasons', async () => {
    const quiet = (await adminApi().get('/api/guard-settings').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200)).body.quietHours;
    const runs = [
      { lang: 'en' as const, name: 'en-only', field: 'en', text: 'New lessons are up.', warning: `${SUBSCRIBERS - ENGLISH_SUBSCRIBERS} of ${SUBSCRIBERS} followers in this audience read Chinese, but variant A has no Chinese text; they will get the English version.` },
      { lang: 'zh-CN' as const, name: 'zh-only', field: 'zh', text: '新课上线了。', warning: `受众中 ${ENGLISH_SUBSCRIBERS} 位（共 ${SUBSCRIBERS} 位）粉丝使用英文，但变体 A 没有英文文案，他们会收到中文版本。` },
    ];
    for (const run of runs) {
      if (run.lang === 'zh-CN') {
        // One marketing message a day: everyone got the English one today, so this one is skipped for all, with that reason.
        await adminApi().put('/api/guard-settings').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({ dailyCap: 1, weeklyCap: 10, quietHours: quiet }).expect(200);
      }
      await openIn(run.lang, 'broadcasts');
      await page.fill('input[aria-label="broadcast name"]', run.name);
      await page.fill(`textarea[aria-label="variant A ${run.field}"]`, run.text);
      await page.click('[aria-label=composer] .row > button:not(.secondary)');
      const warning = page.locator('[data-testid=language-warning]');
      await warning.waitFor();
      expect(await warning.locator('p').innerText()).toBe(run.warning);
      expect(await page.locator('[data-testid=broadcast-progress]').count()).toBe(0);
      await warning.locator('button:not(.secondary)').click();
      const progress = page.locator(`[data-testid=broadcast-progress]:has-text("${run.name}")`);
      await progress.waitFor();
      // Everything went out or was skipped: nothing queued or in flight.
      await page.waitForFunction((total) => {
        const n = (key: string) => Number(document.querySelector(`[data-testid=broadcast-progress] [data-stat=${key}] strong`)?.textContent ?? NaN);
        return n('queued') === 0 && n('sending') === 0 && n('sent') + n('skipped') === total;
      }, SUBSCRIBERS, { timeout: 30_000 });
      const stat = async (key: string) => Number(await progress.locator(`[data-stat=${key}] strong`).innerText());
      const [sent, skipped] = [await stat('sent'), await stat('skipped')];
      const row = page.locator(`[data-testid=broadcast-list] tr[data-broadcast="${run.name}"]`);
      await page.waitForFunction(
        ([name, text]) => document.querySelector(`[data-testid=broadcast-list] tr[data-broadcast="${name}"] [data-cell=sent]`)?.textContent === text,
        [run.name, `${sent}/${SUBSCRIBERS}`] as const,
      );
      expect(await row.locator('[data-cell=skipped]').innerText()).toBe(String(skipped));
      // The status moves from sending to completed while the page shows it: the list and the detail
      // (polled separately) must come to say the same.
      await page.waitForFunction(
        (name) => {
          const list = document.querySelector(`[data-testid=broadcast-list] tr[data-broadcast="${name}"] [data-status]`)?.textContent;
          return list !== undefined && list === document.querySelector('[data-testid=broadcast-progress] [data-testid=broadcast-status]')?.textContent;
        },
        run.name,
      );
      expect(await row.locator('[data-status]').innerText()).toBe(await progress.locator('[data-testid=broadcast-status]').innerText());
      if (run.lang === 'en') {
        expect([sent, skipped]).toEqual([SUBSCRIBERS, 0]);
      } else {
        expect([sent, skipped]).toEqual([0, SUBSCRIBERS]);
        expect(await progress.locator('[data-testid=skip-reasons]').innerText()).toBe(`跳过原因: 频次上限 ${SUBSCRIBERS}`);
      }
      await progress.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shoot('broadcasts', run.lang);
    }
  }, 90_000);

  it('experiments: results in sentences; a winner only past the minimum sample', async () => {
    // An A/B test past the minimum sample: 150 sends a variant, 3 conversions (clicks within the window) for A, 15 for B.
    const res = await adminApi().post('/api/broadcasts').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({
      name: 'ab-test', segment: { platforms: ['wechat'] }, sendTime: { mode: 'at', at: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      variants: [{ key: 'A', text: { 'zh-CN': '八折', en: '20% off' } }, { key: 'B', text: { 'zh-CN': '新课', en: 'New course' } }],
    }).expect(201);
    const campaignId = res.body.broadcast.id as string;
    const sentAt = new Date(Date.now() - 3_600_000);
    const follows = Array.from({ length: 300 }, (_, i) => ({
      kind: 'follow', platform: 'telegram', externalId: `ab-${i}-follow`, occurredAt: new Date(sentAt.getTime() - 60_000).toISOString(),
      identity: { kind: 'telegram', externalId: String(8_200_000 + i), locale: 'en' },
    }));
    const recorded = await adminApi().post('/api/events').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({ events: follows }).expect(201);
    const ids = (recorded.body.results as { followerId: string }[]).map((r) => r.followerId);
    for (const [i, id] of ids.entries()) {
      await database.db.execute(sql`insert into outbox (follower_id, source, campaign_id, step, variant, status, not_before, sent_at)
        values (${id}, 'broadcast', ${campaignId}, 'broadcast', ${i < 150 ? 'A' : 'B'}, 'sent', ${sentAt}, ${sentAt})`);
    }
    const converted = [...ids.slice(0, 3), ...ids.slice(150, 165)];
    await adminApi().post('/api/events').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({
      events: converted.map((followerId, i) => ({ kind: 'click', platform: 'telegram', followerId, externalId: `ab-${i}-click`, occurredAt: new Date(sentAt.getTime() + 600_000).toISOString() })),
    }).expect(201);

    for (const [lang, verdict] of [
      ['en', /^Variant B converts 10\.0% vs 2\.0% for variant A; (9[5-9]\.\d|100\.0)% likely better\. B wins: send B from now on\.$/],
      ['zh-CN', /^变体 B 的转化率为 10\.0%，变体 A 为 2\.0%；B 更好的可能性为 (9[5-9]\.\d|100\.0)%。B 胜出：以后发送 B。$/],
    ] as const) {
      await openIn(lang, 'experiments');
      // The sentence's chance is the table's, to the same decimal.
      const card = page.locator('[data-experiment="ab-test"]');
      await card.locator('[data-testid=verdict]').waitFor();
      expect(await card.locator('[data-testid=verdict]').innerText()).toMatch(verdict);
      const chance = await card.locator('tr[data-variant=B] td').nth(5).innerText();
      expect(chance).toMatch(/^(9[5-9]|100)\.\d%$/);
      expect(await card.locator('[data-testid=verdict]').innerText()).toContain(chance);
    }

    for (const [lang, enOnly, zhOnly] of [
      ['en', `One variant: ${SUBSCRIBERS} sent, 0 converted (0.0%).`, 'Nothing sent yet, so no results.'],
      ['zh-CN', `只有一个变体：发送 ${SUBSCRIBERS} 条，0 次转化（0.0%）。`, '还没有发送，暂无结果。'],
    ] as const) {
      await openIn(lang, 'experiments');
      await page.locator('[data-experiment="en-only"] [data-testid=verdict]').waitFor();
      expect(await page.locator('[data-experiment="en-only"] [data-testid=verdict]').innerText()).toBe(enOnly);
      expect(await page.locator('[data-experiment="zh-only"] [data-testid=verdict]').innerText()).toBe(zhOnly);
      expect(await page.locator('main').innerText()).not.toMatch(/P\(best\)|p=0/);
      await shoot('experiments', lang);
    }
  }, 60_000);

  it('experiments: what a broadcast added against its holdout, in sentences with intervals', async () => {
    const res = await adminApi().post('/api/broadcasts').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({
      name: 'lift-test', segment: { platforms: ['wechat'] }, holdoutPercent: 20, sendTime: { mode: 'at', at: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      variants: [{ key: 'A', text: { 'zh-CN': '新课', en: 'New course' }, courseId }],
    }).expect(201);
    const campaignId = res.body.broadcast.id as string;
    const sentAt = new Date(Date.now() - 3_600_000);
    const follows = Array.from({ length: 100 }, (_, i) => ({
      kind: 'follow', platform: 'telegram', externalId: `lift-${i}-follow`, occurredAt: new Date(sentAt.getTime() - 60_000).toISOString(),
      identity: { kind: 'telegram', externalId: String(8_300_000 + i), locale: 'en' },
    }));
    const recorded = await adminApi().post('/api/events').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({ events: follows }).expect(201);
    const ids = (recorded.body.results as { followerId: string }[]).map((r) => r.followerId);
    // 80 sent (16 of them buy ¥199 within the window), 20 held out (1 buys).
    for (const [i, id] of ids.entries()) {
      if (i < 80) {
        await database.db.execute(sql`insert into outbox (follower_id, source, campaign_id, step, variant, status, not_before, sent_at)
          values (${id}, 'broadcast', ${campaignId}, 'broadcast', 'A', 'sent', ${sentAt}, ${sentAt})`);
      } else {
        await database.db.execute(sql`insert into campaign_holdouts (campaign_id, follower_id, reason, held_at) values (${campaignId}, ${id}, 'holdout', ${sentAt})`);
      }
    }
    for (const id of [...ids.slice(0, 16), ids[80]!]) {
      await database.db.execute(sql`insert into orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
        values (${id}, ${courseId}, 19900, 'CNY', 'manual', 'paid', ${new Date(sentAt.getTime() + 600_000)})`);
    }
    for (const [lang, sent, held, lift, revenue] of [
      ['en', 'Sent: 80 followers, 16 bought (20.0%)', 'Held out: 20 followers, 1 bought (5.0%)', /^Purchase rate up \+15\.0% \(95 % interval [+-]\d+\.\d% to \+\d+\.\d%\)$/, /^Added revenue \(CNY\): ¥2388\.00 \(/],
      ['zh-CN', '发送组：80 人，16 人购买（20.0%）', '留出组：20 人，1 人购买（5.0%）', /^购买率提升 \+15\.0%（95% 区间 [+-]\d+\.\d% 至 \+\d+\.\d%）$/, /^多带来的收入（CNY）：¥2388\.00（/],
    ] as const) {
      await openIn(lang, 'experiments');
      const panel = page.locator('[data-experiment="lift-test"] [data-testid=incremental]');
      await panel.waitFor();
      const lines = (await panel.locator('p').allInnerTexts()).map((l) => l.trim());
      expect(lines).toContain(sent);
      expect(lines).toContain(held);
      expect(lines.some((l) => lift.test(l))).toBe(true);
      expect(lines.some((l) => revenue.test(l))).toBe(true);
      expect(await panel.innerText()).not.toMatch(/heldOut|incremental|undefined|NaN/);
    }
  }, 60_000);

  it('accounts: an admin creates creator accounts; a creator sees only their own (empty) dashboard', async () => {
    for (const [lang, email, role, never, ownOnly, noRevenue] of [
      ['en', 'maker@example.com', 'Creator', 'Never', 'Last 30 days · Only your own courses and the followers who touched them.', 'No revenue in this period yet.'],
      ['zh-CN', 'maker2@example.com', '创作者', '从未登录', '最近 30 天 · 只显示你自己的课程和接触过这些课程的粉丝。', '本期还没有收入。'],
    ] as const) {
      await openIn(lang, 'accounts');
      const form = page.locator('form[aria-label="new account"]');
      await form.locator('input[name=email]').fill(email);
      await form.locator('input[name=displayName]').fill('Mei');
      await form.locator('input[name=password]').fill('maker horse battery');
      await form.locator('button[type=submit]').click();
      const row = page.locator(`[data-testid=accounts] tr[data-account="${email}"]`);
      await row.waitFor();
      expect(await row.innerText()).toContain(role);
      expect(await row.innerText()).toContain(never);
      await shoot('accounts', lang);

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      try {
        await tab.addInitScript((l) => localStorage.setItem('zl_lang', l), lang);
        await logIn(tab, served.base, { email, password: 'maker horse battery' });
        await tab.locator('[data-testid=funnel]').waitFor();
        expect(await tab.locator('[data-testid=dashboard-head] span').innerText()).toBe(ownOnly);
        expect((await tab.locator('[data-testid=funnel] .funnel-step strong').allInnerTexts()).map(Number)).toEqual([0, 0, 0, 0, 0]);
        expect(await tab.locator('main').innerText()).toContain(noRevenue);
        expect(await tab.locator('nav a[data-page=followers]').count()).toBe(0);
        expect(await tab.locator('nav a[data-page=accounts]').count()).toBe(0);
        await tab.screenshot({ path: `${ARTIFACTS}/page-creator-dashboard-${lang === 'en' ? 'en' : 'zh'}.png` });
      } finally {
        await context.close();
      }
    }
  }, 60_000);

  it('coupons: created in the console, with usage and revenue per coupon', async () => {
    await openIn('en', 'coupons');
    const form = page.locator('form[aria-label="new coupon"]');
    await form.locator('input[name=code]').fill('spring20');
    await form.locator('select[aria-label="coupon course"]').selectOption(courseId);
    await form.locator('input[name=percentOff]').fill('20');
    await form.locator('button[type=submit]').click();
    const row = page.locator('[data-testid=coupons] tr[data-coupon=SPRING20]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Photography basics[\s\S]*20% off[\s\S]*No end date[\s\S]*One shared code[\s\S]*Not used yet/);

    // A follower pays ¥159.20 with it, as the checkout and payment flows leave it.
    const [{ id: couponId }] = (await queryRows<{ id: string }>(database.db, sql`select id from coupons where code = 'SPRING20'`)) as [{ id: string }];
    const [{ id: orderId }] = (await queryRows<{ id: string }>(database.db, sql`insert into orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at, coupon_id, original_amount_minor)
      values (${bigBuyer}, ${courseId}, 15920, 'CNY', 'manual', 'paid', now(), ${couponId}, 19900) returning id`)) as [{ id: string }];
    await database.db.execute(sql`insert into coupon_redemptions (coupon_id, code, follower_id, order_id, status, original_amount_minor, discount_minor, currency, reserved_until, redeemed_at)
      values (${couponId}, 'SPRING20', ${bigBuyer}, ${orderId}, 'redeemed', 19900, 3980, 'CNY', now(), now())`);

    for (const [lang, usage, revenue] of [
      ['en', 'Redeemed: 1 · held in checkouts: 0 · given back: 0', '¥159.20 · paid orders: 1 · given off: ¥39.80'],
      ['zh-CN', '已使用 1 次 · 下单占用中 0 · 已释放 0', '¥159.20 · 已付款 1 单 · 共优惠 ¥39.80'],
    ] as const) {
      await openIn(lang, 'coupons');
      await row.waitFor();
      expect(await row.locator('[data-cell=usage]').innerText()).toBe(usage);
      expect(await row.locator('[data-cell=revenue]').innerText()).toBe(revenue);
      expect(await page.locator('a[href="/api/exports/revenue.csv?by=coupon"]').count()).toBe(1);
      await shoot('coupons', lang);
    }
    const csv = await adminApi().get('/api/exports/revenue.csv?by=coupon').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200);
    expect(csv.text).toContain('SPRING20');
  }, 60_000);

  it('settings: consent texts and the audit log read as words', async () => {
    for (const [lang, consent, created, caps] of [
      ['en', 'Marketing consent question (Chinese)', 'Created the account maker@example.com (creator)', 'Set caps and quiet hours: at most 1 a day and 10 a week, quiet'],
      ['zh-CN', '营销授权提问（中文）', '创建了账号 maker@example.com（创作者）', '设置频次上限与免打扰：每天最多 1 条，每周最多 10 条'],
    ] as const) {
      await openIn(lang, 'settings');
      await page.locator('[data-testid=audit-log] tbody tr').first().waitFor();
      expect(await page.locator('form:has(textarea[name=marketingZh]) label').first().innerText()).toContain(consent);
      expect(await page.locator('main').innerText()).not.toMatch(/marketingZh|optOutEn/);
      const sentences = await page.locator('[data-testid=audit-log] [data-testid=audit-sentence]').allInnerTexts();
      expect(sentences).toContain(created);
      expect(sentences.some((s) => s.startsWith(caps))).toBe(true);
      const createdRow = page.locator('[data-testid=audit-log] tr[data-action="account.create"]:has-text("maker@example.com")');
      expect(await createdRow.locator('td').nth(1).innerText()).toBe(ADMIN.email);
      expect(await page.locator('[data-testid=audit-log]').innerText()).not.toMatch(/[{}]|"\w+":/);
      await page.locator('[data-testid=audit-log]').evaluate((el) => el.scrollIntoView());
      await shoot('audit-log', lang);
    }
  }, 60_000);
});
