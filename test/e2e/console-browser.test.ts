import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { PgHandoffRepository, queryRows, type Database } from '../../models/index.js';
import type { Service } from '../../bots/lifecycle.js';
import { CONSOLE_DIST_DIR } from '../../bots/wire-console.js';
import { openTestDatabase } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { seedActivity } from '../integration/console-support.js';
import { BotApiSink } from '../integration/campaigns-support/bot-api-sink.js';
import { buildTestChannel, startFakeBotApi, testTelegramConfig } from './telegram-support.js';
import { ADMIN, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, daytimeZone, describeWithChromium, seedSubscribers, startAllInOne } from './console-support.js';

/** Followers who said yes to marketing on Telegram: the broadcast reaches every Telegram follower, and sends to these. */
const SUBSCRIBERS = 24;
/** Dashboard cohorts (followers, days ago); every other follower is on Telegram, none gave marketing consent. */
const COHORTS = [[30, 6], [24, 5], [36, 4], [28, 3], [42, 2], [34, 1]] as const;
const TELEGRAM_WITHOUT_CONSENT = COHORTS.reduce((sum, [n]) => sum + Math.ceil(n / 2), 0);

describeWithChromium('web console in Chromium, over the all-in-one wiring', () => {
  let database: Database;
  let server: Server;
  let services: Service[] = [];
  let sink: BotApiSink;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(`${CONSOLE_DIST_DIR}/index.html`)) execFileSync('npm', ['run', 'build:console'], { stdio: 'inherit' });
    mkdirSync(ARTIFACTS, { recursive: true });
    database = await openTestDatabase('pglite');
    sink = new BotApiSink({ latencyMs: 20 });
    const started = await startAllInOne(database, await sink.start());
    services = started.services;
    server = await new Promise((resolve) => {
      const s = started.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [course] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into courses (slug, title_zh, title_en, price_minor, status, tags) values ('photo-basics', '摄影基础', 'Photography basics', 9900, 'on_sale', '{photography}') returning id`,
    );
    for (const [followers, daysAgo] of COHORTS) {
      await seedActivity(started.app, database, course!.id, followers, new Date(Date.now() - daysAgo * 86_400_000));
    }
    await seedSubscribers(started.app, started.ctx, SUBSCRIBERS, daytimeZone());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    page.setDefaultTimeout(15_000);
    await page.addInitScript(() => { if (!localStorage.getItem('zl_lang')) localStorage.setItem('zl_lang', 'en'); });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    for (const service of [...services].reverse()) await service.stop();
    await sink?.stop();
    await database?.close();
  });

  const shoot = async (name: string) => {
    await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
  };
  const open = async (slug: string) => {
    await page.click(`nav a[data-page="${slug}"]`);
    await page.waitForSelector(`nav a.active[data-page="${slug}"]`);
  };
  /** The admin API as a script sees it, to check what the console stored. */
  const getApi = (apiPath: string) => request(base).get(`/api${apiPath}`).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200);
  const storedRule = async (name: string) => ((await getApi('/retargeting-rules')).body.items as { name: string }[]).find((r) => r.name === name);

  it('logs in, shows the dashboard charts, creates a course, and edits settings (audited)', async () => {
    await page.goto(`${base}/console/`);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', 'wrong password!');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    await shoot('login');
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('canvas');
    // Followers over time, revenue by day and by course in yuan (the only currency sold here), conversion by segment; the funnel is bars in words.
    expect(await page.locator('canvas').count()).toBe(4);
    await page.waitForSelector('[data-testid=top-courses] td:text("Photography basics")');
    await shoot('dashboard');

    await open('courses');
    await page.fill('input[name=slug]', 'e2e-course');
    await page.fill('input[name=titleZh]', '端到端课程');
    await page.fill('input[name=titleEn]', 'End-to-end course');
    await page.fill('input[name=price]', '49.90');
    await page.click('form[aria-label="create course"] button[type=submit]');
    await page.waitForSelector('tr[data-slug="e2e-course"]');
    expect(await page.locator('tr[data-slug="e2e-course"]').innerText()).toContain('¥49.90');
    await page.click('tr[data-slug="e2e-course"] button.link');
    await page.fill('input[name=code]', 'E2E10');
    await page.fill('input[name=percentOff]', '10');
    await page.click('text=Coupons: e2e-course >> xpath=.. >> button[type=submit]');
    await page.waitForSelector('td:text("E2E10")');
    await shoot('courses');

    await open('followers');
    await page.waitForSelector('td .pill');
    await page.locator('tbody tr').first().click();
    await page.waitForSelector('text=Timeline');
    await page.waitForSelector('[data-testid=persona-summary]');
    await shoot('followers');

    await open('settings');
    await page.waitForSelector('tr[data-channel="telegram"]');
    expect(await page.locator('tr[data-channel="jobs"]').innerText()).toContain('dispatcher on via telegram');
    await page.fill('input[name=dailyCap]', '4');
    await page.click('form:has(input[name=dailyCap]) button[type=submit]');
    await page.waitForSelector('[role=status]:text("Saved")');
    await page.waitForSelector('[data-testid=audit-log] tr[data-action="settings.guards"]');
    await shoot('settings');
  }, 90_000);

  it('previews a segment, sends a 2-variant broadcast to the emulated followers, and watches it go out', async () => {
    await open('broadcasts');
    await page.check('fieldset:has(legend:text("Platforms")) input[type=checkbox] >> nth=0');
    await page.click('button:text("Preview audience")');
    await page.waitForSelector('[data-testid=audience-count]');
    // The segment selects every Telegram follower; only those who consented can be sent to, the rest are counted apart.
    expect(Number(await page.locator('[data-testid=audience-count]').innerText())).toBe(SUBSCRIBERS);
    expect(await page.locator('[data-testid=audience-excluded]').innerText()).toContain(`No marketing consent ${TELEGRAM_WITHOUT_CONSENT}`);

    await page.fill('input[aria-label="broadcast name"]', 'winter-sale');
    await page.fill('textarea[aria-label="variant A zh"]', '冬季课程八折，今晚截止');
    await page.fill('textarea[aria-label="variant A en"]', 'Winter sale: 20% off tonight');
    await page.click('button:text("Add variant")');
    await page.fill('textarea[aria-label="variant B zh"]', '新课上线：摄影基础');
    await page.fill('textarea[aria-label="variant B en"]', 'New course: Photography basics');
    await page.click('button:text("Send")');
    await page.waitForSelector('[data-testid=broadcast-progress]');
    const stat = (name: string) => page.locator(`[data-testid=broadcast-progress] [data-stat=${name}] strong`);
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid=broadcast-progress] [data-stat=sent] strong')?.textContent === String(expected)
        && document.querySelector('[data-testid=broadcast-progress] [data-stat=queued] strong')?.textContent === '0',
      SUBSCRIBERS,
      { timeout: 30_000 },
    );
    expect(await stat('skipped').innerText()).toBe('0');
    expect(sink.messages).toHaveLength(SUBSCRIBERS);
    expect(new Set(sink.messages.map((m) => m.chatId)).size).toBe(SUBSCRIBERS);
    expect(sink.messages.every((m) => /冬季课程|新课上线|Winter sale|New course/.test(m.text))).toBe(true);
    await page.waitForSelector('[data-testid=broadcast-list] td:text("winter-sale")');
    await page.locator('[data-testid=broadcast-progress]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shoot('broadcasts');

    await open('experiments');
    await page.waitForSelector('[data-testid="results-winter-sale"] tr[data-variant=B]');
    const sent = await page.locator('[data-testid="results-winter-sale"] tbody tr td:nth-child(2)').allInnerTexts();
    expect(sent.reduce((sum, n) => sum + Number(n), 0)).toBe(SUBSCRIBERS);
    // 24 sends split over two variants is far below the minimum sample: no winner, no "chance it is best".
    expect(await page.locator('[data-experiment="winter-sale"] [data-testid=verdict]').innerText())
      .toMatch(/^Too early to tell: a winner is called only after 100 sends per variant, and variant [AB] has \d+\. Keep sending\.$/);
    expect(await page.locator('[data-testid="results-winter-sale"] tbody tr td:nth-child(6)').allInnerTexts()).toEqual(['—', '—']);
    await shoot('experiments');

    await open('retargeting');
    await page.waitForSelector('[data-rule] table');
    await shoot('retargeting');
  }, 90_000);

  it('creates a retargeting rule through the form, edits its template, shows validation errors next to the fields, and deletes it', async () => {
    await open('retargeting');
    await page.click('button:text("New rule")');
    const form = page.locator('form[aria-label="new rule"]');
    await form.locator('input[name=name]').fill('dormant');
    await form.locator('select[name=trigger]').selectOption('cross_sell');
    await form.locator('input[name="params.hours"]').fill('3');
    expect(await form.locator('input[name="params.minLift"]').getAttribute('placeholder')).toBe('default 1');
    expect(await form.locator('[data-testid=template-variables]').innerText()).toMatch(/\{course\}.*\{purchased\}.*\{confidence\}.*\{support\}.*\{lift\}/s);
    await form.locator('select[name=trigger]').selectOption('abandoned_checkout');
    expect(await form.locator('[data-testid=template-variables]').innerText()).not.toContain('{purchased}');
    expect(await form.locator('input[name="params.hours"]').inputValue()).toBe('3');
    await form.locator('input[name=delay]').fill('2');
    await form.locator('select[name=delayUnit]').selectOption('hours');
    await form.locator('input[name=maxPerFollower]').fill('2');
    await form.locator('select[name=conversionGoal]').selectOption('click');
    await form.locator('input[name=isEnabled]').uncheck();
    await form.locator('textarea[aria-label="rule variant 1 zh"]').fill('《{course}》的订单还差一步，点这里完成。');
    await form.locator('textarea[aria-label="rule variant 1 en"]').fill('Your order for "{course}" is one step away.');
    // A name the seeded rules already use: the conflict is shown under the name, and the form keeps what was typed.
    await form.locator('button[type=submit]').click();
    await form.locator('[data-error-for=name]').waitFor();
    expect(await form.locator('[role=alert]').innerText()).toContain('named dormant exists');
    expect(await form.locator('textarea[aria-label="rule variant 1 en"]').inputValue()).toBe('Your order for "{course}" is one step away.');
    await form.locator('input[name=name]').fill('e2e-cart-reminder');
    await form.locator('button[type=submit]').click();

    const card = page.locator('[data-rule="e2e-cart-reminder"]');
    await card.waitFor();
    expect(await card.innerText()).toMatch(/Abandoned checkout[\s\S]*Hours after checkout without paying: 3 · Delay: 2 hours · Max messages per follower: 2 · Goal: Click/);
    expect(await card.locator('[data-testid=rule-templates]').innerText()).toContain('A: Your order for "{course}" is one step away.');
    expect(await storedRule('e2e-cart-reminder')).toMatchObject({
      trigger: 'abandoned_checkout', params: { hours: 3 }, delayMinutes: 120, maxPerFollower: 2, conversionGoal: 'click', isEnabled: false, allocation: 'bandit',
      variants: [{ key: 'A', weight: 1, text: { 'zh-CN': '《{course}》的订单还差一步，点这里完成。', en: 'Your order for "{course}" is one step away.' } }],
    });

    await card.locator('button:text("Edit")').click();
    const edit = page.locator('form[aria-label="edit rule e2e-cart-reminder"]');
    expect(await edit.locator('input[name=delay]').inputValue()).toBe('2');
    expect(await edit.locator('select[name=delayUnit]').inputValue()).toBe('hours');
    await edit.locator('textarea[aria-label="rule variant 1 en"]').fill('Still thinking about "{course}"? Your cart is waiting.');
    await edit.locator('input[name="params.hours"]').fill('0');
    await edit.locator('button[type=submit]').click();
    const hoursError = edit.locator('[data-error-for="params.hours"]');
    await hoursError.waitFor();
    expect(await hoursError.innerText()).toBe('enter 1 or more');
    expect(await edit.locator('[role=alert]').innerText()).toContain('params.hours');
    expect(await edit.locator('textarea[aria-label="rule variant 1 en"]').inputValue()).toBe('Still thinking about "{course}"? Your cart is waiting.');
    await shoot('retargeting-form');
    await edit.locator('input[name="params.hours"]').fill('4');
    await edit.locator('button[type=submit]').click();
    await card.locator('[data-testid=rule-templates]:has-text("Your cart is waiting")').waitFor();
    expect(await storedRule('e2e-cart-reminder')).toMatchObject({
      params: { hours: 4 }, delayMinutes: 120,
      variants: [{ key: 'A', text: { 'zh-CN': '《{course}》的订单还差一步，点这里完成。', en: 'Still thinking about "{course}"? Your cart is waiting.' } }],
    });

    page.once('dialog', (dialog) => void dialog.accept());
    await card.locator('button:text("Delete")').click();
    await card.waitFor({ state: 'detached' });
    expect(await storedRule('e2e-cart-reminder')).toBeUndefined();
  }, 60_000);

  it("composes a broadcast for a wall time in each follower's own zone, stored as follower_local", async () => {
    await open('broadcasts');
    await page.fill('input[aria-label="broadcast name"]', 'morning-hello');
    await page.fill('textarea[aria-label="variant A en"]', 'Good morning! New lessons are up.');
    await page.check('input[name=send-mode][value=creator_local]');
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(await page.locator('select[aria-label="time zone"]').inputValue()).toBe(browserZone);
    await page.check('input[name=send-mode][value=follower_local]');
    // English only, to an audience that is mostly Chinese: the console says so before anything is sent.
    await page.click('button:text("Send")');
    const warning = page.locator('[data-testid=language-warning]');
    expect(await warning.innerText()).toMatch(/\d+ of \d+ followers in this audience read Chinese, but variant A has no Chinese text; they will get the English version\./);
    await warning.locator('button:text("Send anyway")').click();
    await page.locator('[data-error-for="sendTime.date"]').waitFor();

    const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('input[aria-label="send date"]', date);
    await page.fill('input[aria-label="send time of day"]', '09:30');
    await page.click('button:text("Send")');
    await warning.locator('button:text("Send anyway")').click();
    const progress = page.locator('[data-testid=broadcast-progress]:has-text("morning-hello")');
    const mode = progress.locator('[data-testid=broadcast-send-mode][data-mode=follower_local]');
    await mode.waitFor();
    expect(await mode.innerText()).toBe(`${date} 09:30 in each follower's time zone`);
    const stored = await getApi(`/broadcasts/${await progress.getAttribute('data-id')}`);
    expect(stored.body.broadcast).toMatchObject({ name: 'morning-hello', sendMode: 'follower_local', localDate: date, localTime: '09:30', sendAt: null });
    await page.waitForSelector(`[data-testid=broadcast-list] tr[data-broadcast="morning-hello"]:has-text("${date} 09:30")`);
  }, 60_000);

  it('edits a schedule: the plain-language description and the next 5 runs follow the cron; runs a job now', async () => {
    await open('schedules');
    const card = page.locator('[data-schedule="daily-report"]');
    await card.locator('[data-testid=next-runs] li').first().waitFor();
    // The job named and explained in words, not by its code name.
    expect(await card.locator('h3').innerText()).toBe('Daily report Counts yesterday’s new followers, actions, orders, revenue and sends');
    expect(await card.locator('[data-testid=cron-description]').innerText()).toContain('Every day at 08:00');
    const before = await card.locator('[data-testid=next-runs] li').allInnerTexts();
    expect(before).toHaveLength(5);

    await card.locator('input[aria-label="cron daily-report"]').fill('30 9 * * 1-5');
    expect(await card.locator('[data-testid=cron-description]').innerText()).toContain('Weekdays at 09:30');
    await card.locator('button:text("Save")').click();
    await card.locator('[role=status]:text("Saved")').waitFor();
    const after = await card.locator('[data-testid=next-runs] li').allInnerTexts();
    expect(after).toHaveLength(5);
    expect(after).not.toEqual(before);
    expect(after.every((run) => /09:30/.test(run) && !/Sat|Sun/.test(run))).toBe(true);
    const [stored] = await queryRows<{ cron: string }>(database.db, sql`select cron from schedules where name = 'daily-report'`);
    expect(stored!.cron).toBe('30 9 * * 1-5');

    const refresh = page.locator('[data-schedule="segment-refresh"]');
    await refresh.locator('button:text("Run now")').click();
    await refresh.locator('[data-testid=run-history] td:text("Run by hand")').waitFor();
    await card.scrollIntoViewIfNeeded();
    await shoot('schedules');
  }, 60_000);

  it('a creator builds a course with two lessons and a 49 Stars price; Telegram invoices exactly 49 Stars for it', async () => {
    const creator = { email: 'creator@example.com', password: 'creator horse battery' };
    await request(base).post('/api/accounts').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({ ...creator, role: 'creator', displayName: 'Chen' }).expect(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await context.addInitScript(() => localStorage.setItem('zl_lang', 'en'));
    const tab = await context.newPage();
    tab.setDefaultTimeout(15_000);
    try {
      await tab.goto(`${base}/console/`);
      await tab.fill('input[name=email]', creator.email);
      await tab.fill('input[name=password]', creator.password);
      await tab.click('button[type=submit]');
      await tab.click('nav a[data-page="courses"]');
      await tab.fill('input[name=slug]', 'stars-course');
      await tab.fill('input[name=titleZh]', '星星课程');
      await tab.fill('input[name=titleEn]', 'Stars course');
      await tab.fill('input[name=price]', '19.90');
      await tab.fill('input[name=stars]', '49');
      await tab.selectOption('form[aria-label="create course"] select[name=status]', 'on_sale');
      await tab.click('form[aria-label="create course"] button[type=submit]');
      const row = tab.locator('tr[data-slug="stars-course"]');
      await row.waitFor();
      expect(await row.innerText()).toContain('¥19.90 · 49 ⭐');

      // Its editor: a chapter, then two lessons in it.
      await row.locator('button.link').click();
      const chapterForm = tab.locator('form[aria-label="add chapter"]');
      await chapterForm.locator('input[name=titleZh]').fill('第一章');
      await chapterForm.locator('input[name=titleEn]').fill('Chapter one');
      await chapterForm.locator('button[type=submit]').click();
      const chapter = tab.locator('section[data-chapter="Chapter one"]');
      for (const n of [1, 2]) {
        const lessonForm = tab.locator('form[aria-label="add lesson Chapter one"]');
        await lessonForm.locator('input[name=titleZh]').fill(`第${n}课`);
        await lessonForm.locator('input[name=titleEn]').fill(`Lesson ${n}`);
        await lessonForm.locator('textarea[name=bodyEn]').fill(`Lesson ${n} text`);
        await lessonForm.locator('input[name=estimatedMinutes]').fill('15');
        await lessonForm.locator('button[type=submit]').click();
        await chapter.locator(`li:has-text("Lesson ${n}")`).waitFor();
      }
      expect(await chapter.locator('li').allInnerTexts()).toEqual([expect.stringContaining('Lesson 1 · 15 min'), expect.stringContaining('Lesson 2 · 15 min')]);
      await shoot('course-editor');
    } finally {
      await context.close();
    }

    // Stored as 49 Stars (not 4,900), with its two lessons, owned by the creator.
    const stored = ((await getApi('/courses?pageSize=100')).body.items as Array<{ id: string; slug: string; priceStars: number | null; priceMinor: number; status: string }>).find((c) => c.slug === 'stars-course')!;
    expect(stored).toMatchObject({ priceStars: 49, priceMinor: 1990, status: 'on_sale' });
    const content = (await getApi(`/courses/${stored.id}/content`)).body as { chapters: Array<{ lessons: Array<{ titleEn: string }> }> };
    expect(content.chapters.flatMap((c) => c.lessons.map((l) => l.titleEn))).toEqual(['Lesson 1', 'Lesson 2']);

    // The real Telegram bot over the same database: Buy, Confirm, and the invoice says 49 Stars.
    const telegram = await startFakeBotApi('5550004');
    const channel = buildTestChannel(database, testTelegramConfig(telegram.apiRoot, { mode: 'webhook', webhookSecret: 'console-webhook-secret-0123' }), '5550004:console-e2e-token-abcdef');
    await channel.service.start();
    try {
      const tap = (data: string, id: number): Update =>
        ({ update_id: id, callback_query: { id: `cb-${id}`, from: { id: 515151, is_bot: false, first_name: 'Ann', language_code: 'en' }, chat_instance: '1', data, message: { message_id: 1, date: 0, chat: { id: 515151, type: 'private' } } } }) as unknown as Update;
      await channel.bot.handleUpdate(tap(`buy:${stored.id}`, 1));
      await channel.idle();
      const card = telegram.calls.filter((c) => c.method === 'sendMessage').at(-1)!.body;
      expect(String(card['text'])).toContain('Stars course');
      expect(String(card['text'])).toContain('49 ⭐');
      await channel.bot.handleUpdate(tap(`pay:${stored.id}`, 2));
      await channel.idle();
      expect(telegram.calls.filter((c) => c.method === 'sendInvoice').map((c) => c.body)).toEqual([expect.objectContaining({ currency: 'XTR', prices: [{ label: expect.any(String), amount: 49 }] })]);
    } finally {
      await channel.service.stop();
      await telegram.close();
    }
  }, 90_000);

  it('lists followers the risk scorer flagged with their reasons in words, and clears one (audited)', async () => {
    // seedActivity's cohorts sent "python 课程" from many accounts at one instant: a spam ring to the scorer.
    await open('risk');
    const rows = page.locator('[data-testid=risk-queue] tbody tr');
    await rows.first().waitFor();
    const first = await rows.first().innerText();
    expect(first).toMatch(/\d+ accounts sent the same text within 600 s: “python 课程”/);
    expect(first).not.toContain('duplicate_text');
    expect(first).toContain('Awaiting review');
    const followerId = await rows.first().getAttribute('data-follower');
    const before = await rows.count();
    await rows.first().locator('button:text("Clear")').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=risk-queue] tbody tr').length === n - 1, before);
    const audit = (await getApi(`/audit-log?subjectType=follower&subjectId=${followerId}`)).body.items as { action: string }[];
    expect(audit.map((e) => e.action)).toContain('risk.clear');
    await page.locator('[data-testid=risk-settings] input[aria-label="duplicateText.accounts"]').fill('8');
    await page.click('[data-testid=risk-settings] button[type=submit]');
    await page.waitForSelector('[data-testid=risk-settings] [role=status]:text("Saved")');
    expect((await getApi('/risk/settings')).body.settings.duplicateText.accounts).toBe(8);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot('risk');
  }, 60_000);

  it('shows a waiting hand-off in the inbox, replies through the bot into the chat and closes it (audited)', async () => {
    const [someone] = await queryRows<{ id: string; chat: string }>(database.db, sql`select follower_id as id, external_id as chat from identities where kind = 'telegram' order by external_id limit 1`);
    const { handoff } = await new PgHandoffRepository(database.db).open({ followerId: someone!.id, platform: 'telegram', chatId: someone!.chat, reason: 'asked', at: new Date(Date.now() - 7 * 60_000) });
    await open('inbox');
    const row = page.locator(`[data-testid=inbox-list] tr[data-handoff="${handoff.id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Telegram');
    expect(await row.locator('[data-testid=waiting]').innerText()).toMatch(/^7 min/);
    await row.click();
    expect(await page.locator('[data-testid=persona-summary]').innerText()).not.toMatch(/lifecycle|priceBand|[a-z]+_[a-z]+/);
    await page.fill('[data-testid=reply-box]', 'Hi, this is Chen from the team.');
    await page.click('[data-testid=inbox-thread] button:text("Send reply")');
    await page.waitForSelector('[data-testid=inbox-thread] p[data-from=staff]:has-text("Hi, this is Chen from the team.")');
    expect(sink.messages.filter((m) => m.chatId === someone!.chat).map((m) => m.text)).toContain('Hi, this is Chen from the team.');
    await shoot('inbox');
    await page.click('[data-testid=inbox-thread] button:text("Close (the bot takes over again)")');
    await page.waitForSelector('[data-testid=inbox-thread]', { state: 'detached' });
    const audit = (await getApi(`/audit-log?subjectType=handoff&subjectId=${handoff.id}`)).body.items as { action: string }[];
    expect(audit.map((e) => e.action).sort()).toEqual(['handoff.closed', 'handoff.replied']);
  }, 60_000);

  it('renders the console in Chinese', async () => {
    await page.click('nav button:text("中文")');
    await page.waitForSelector('nav a:text("数据看板")');
    for (const slug of ['dashboard', 'followers', 'broadcasts', 'retargeting', 'experiments', 'schedules', 'risk', 'inbox']) {
      await open(slug);
      if (slug === 'dashboard') await page.waitForSelector('canvas');
      if (slug === 'followers') {
        await page.waitForSelector('td .pill');
        await page.locator('tbody tr').first().click();
        await page.waitForSelector('text=事件时间线');
      }
      if (slug === 'broadcasts') {
        await page.click('[data-testid=broadcast-list] tr[data-broadcast="winter-sale"] button.link');
        await page.locator('[data-testid=broadcast-progress]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      }
      if (slug === 'retargeting') {
        await page.click('button:text("新建规则")');
        await page.selectOption('form[aria-label="new rule"] select[name=trigger]', 'cross_sell');
        await page.waitForSelector('[data-testid=template-variables]:has-text("{purchased} 粉丝已购买的课程")');
      }
      if (slug === 'experiments') await page.waitForSelector('[data-testid="results-winter-sale"]');
      if (slug === 'schedules') await page.waitForSelector('[data-testid=next-runs]');
      if (slug === 'risk') await page.waitForSelector('[data-testid=risk-queue] li:has-text("个账号在 600 秒内发送相同文字")');
      if (slug === 'inbox') await page.waitForSelector('text=没有待处理的转人工会话。');
      await shoot(`${slug}-zh`);
    }
  }, 60_000);
});
