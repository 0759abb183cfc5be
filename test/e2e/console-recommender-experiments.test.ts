import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { variantOf, type RecommenderExperiment } from '../../core/experiments/index.js';
import { queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { BotApiSink } from '../integration/campaigns-support/bot-api-sink.js';
import { ADMIN, ARTIFACTS, closeConsole, describeWithChromium, launchChromium, logIn, serveConsole } from './console-support.js';

type Lang = 'en' | 'zh-CN';
const MIN_PER_VARIANT = 3;
const NAME = 'Blend vs production';

/**
 * The recommender experiments page in Chromium over the all-in-one wiring: an admin builds an
 * experiment with the form, starts it, followers are served through the process's one recommender
 * chain, and the page reads the results in words in English and in Chinese, on the same results
 * table as broadcasts (counting followers shown instead of messages sent).
 */
describeWithChromium('recommender experiments in the console, in English and Chinese (Chromium)', () => {
  let database: Database;
  let served: Awaited<ReturnType<typeof serveConsole>>;
  let sink: BotApiSink;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await seedDemoCatalogue(database.db);
    sink = new BotApiSink({ latencyMs: 5 });
    served = await serveConsole(database, await sink.start());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 }, locale: 'en-US' });
    page.setDefaultTimeout(15_000);
    await page.addInitScript(() => { if (!localStorage.getItem('zl_lang')) localStorage.setItem('zl_lang', 'en'); });
    await logIn(page, served.base, ADMIN);
  }, 120_000);
  afterAll(() => closeConsole({ browser, served, sink, database }));

  const openIn = async (lang: Lang) => {
    await page.evaluate((l) => localStorage.setItem('zl_lang', l), lang);
    await page.goto(`${served.base}/console/recommender-experiments`);
    await page.waitForSelector('nav a.active[data-page="recommender-experiments"]');
  };
  const api = () => request(served.base);
  const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

  it('creates, starts and stops an experiment from the form, and reads its results in words', async () => {
    await openIn('en');
    const form = page.locator('[data-testid=new-recommender-experiment]');
    await form.getByLabel('Experiment name').fill(NAME);
    await form.getByLabel('Attribution window (hours)').fill('48');
    const b = form.locator('fieldset[data-variant=B]');
    await b.getByLabel('Short name (optional)').fill('flat blend');
    await b.getByLabel('Ranking').selectOption('untrained_blend');
    await b.getByLabel(/^Diversity/).fill('0.5');
    await b.getByRole('checkbox', { name: 'similar course content' }).uncheck();
    await b.getByRole('spinbutton', { name: 'overall popularity' }).fill('2');
    // Shares that do not add up are refused in words before anything is sent.
    await b.getByLabel('Share of followers (%)').fill('60');
    await form.getByRole('button', { name: 'Create (as a draft)' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').innerText()).toBe('The variants’ shares must add up to 100%; they add up to 110%.');
    await b.getByLabel('Share of followers (%)').fill('50');
    await form.getByRole('button', { name: 'Create (as a draft)' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').innerText()).toBe(`Created the recommender experiment ${NAME}`);

    const card = page.locator(`[data-recommender-experiment="${NAME}"]`);
    expect(await card.locator('h3 .pill').innerText()).toBe('Draft');
    expect(await card.locator('li[data-variant=A]').innerText()).toBe(
      'Variant A (control) · 50% · Ranking: the scorer in production (whichever of the trained ranker, the tuned blend and the untrained blend did best at the last retrain) · Diversity: as in production (chosen by the last retrain) · All candidate sources on',
    );
    expect(await card.locator('li[data-variant=B]').innerText()).toBe(
      'Variant B “flat blend” · 50% · Ranking: the untrained blend of signals · Diversity: 0.5 (1 is relevance only; lower is more varied) · Candidate sources off: similar course content · Changed weights: overall popularity 2',
    );
    await card.getByRole('button', { name: 'Start the experiment' }).click();
    await card.locator('h3 .pill', { hasText: 'Running' }).waitFor();

    // Followers come in on Telegram and are served by the process's one recommender chain, as the bot serves them.
    const experiment = (await api().get('/api/recommender-experiments').set(auth).expect(200)).body.items[0] as RecommenderExperiment;
    // Followers until each variant has a few (the assignment hashes the experiment's random id).
    const ids: string[] = [];
    const count = (key: string) => ids.filter((id) => variantOf(experiment, id).key === key).length;
    while ((count('A') < MIN_PER_VARIANT || count('B') < MIN_PER_VARIANT) && ids.length < 40) {
      const follow = { kind: 'follow', platform: 'telegram', externalId: `rx-${ids.length}`, identity: { kind: 'telegram', externalId: String(9_300_000 + ids.length) } };
      ids.push((await api().post('/api/events').set(auth).send({ events: [follow] }).expect(201)).body.results[0].followerId as string);
    }
    const shown = new Map<string, string[]>();
    for (const id of ids) shown.set(id, (await served.ctx.recommender.recommend(id, { limit: 3, shownOn: 'telegram' })).map((p) => p.courseId));
    await served.ctx.recommenderEngine.experiments.exposures.flush();
    const inA = ids.filter((id) => variantOf(experiment, id).key === 'A');
    const inB = ids.filter((id) => variantOf(experiment, id).key === 'B');
    // A clicks a course it was shown; B's follower pays ¥199 for one (the order as the payment flow leaves it).
    await api().post('/api/events').set(auth).send({ events: [{ kind: 'click', platform: 'telegram', followerId: inA[0], courseId: shown.get(inA[0]!)![0], externalId: 'rx-click' }] }).expect(201);
    const buyer = inB[0]!;
    await api().post('/api/events').set(auth).send({ events: [{ kind: 'purchase', platform: 'telegram', followerId: buyer, courseId: shown.get(buyer)![0], externalId: 'rx-buy' }] }).expect(201);
    await queryRows(database.db, sql`INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
      VALUES (${buyer}::uuid, ${shown.get(buyer)![0]}::uuid, 19900, 'CNY', 'wechat_pay', 'paid', now())`);
    const smallest = inB.length < inA.length ? { key: 'B', n: inB.length } : { key: 'A', n: inA.length };

    for (const [lang, verdict, header, revenueCell] of [
      ['en', `Too early to tell: a winner is called only after 100 followers per variant have been shown recommendations, and variant ${smallest.key} has ${smallest.n}. Keep it running.`, 'Followers shown', '¥199.00'],
      ['zh-CN', `现在下结论还太早：每个变体至少要有 100 位粉丝看到推荐才会判断胜负，变体 ${smallest.key} 才有 ${smallest.n} 位。继续运行。`, '看到推荐的粉丝', '¥199.00'],
    ] as const) {
      await openIn(lang);
      const results = page.locator(`[data-recommender-experiment="${NAME}"]`);
      await results.locator('[data-testid=verdict]').waitFor();
      expect(await results.locator('[data-testid=verdict]').innerText()).toBe(verdict);
      expect(await results.locator(`table[data-testid="results-${NAME}"] th`).nth(1).innerText()).toBe(header);
      const cells = async (selector: string) => results.locator(selector).locator('td').allInnerTexts();
      expect((await cells(`table[data-testid="results-${NAME}"] tr[data-variant=A]`)).slice(0, 3)).toEqual(['A', String(inA.length), '1']);
      expect((await cells(`table[data-testid="results-${NAME}"] tr[data-variant=B]`)).slice(0, 3)).toEqual(['B', String(inB.length), '1']);
      await results.locator(`[data-testid="outcomes-${experiment.id}"]`).waitFor();
      expect(await cells(`[data-testid="outcomes-${experiment.id}"] tr[data-variant=A]`)).toEqual(['A', String(inA.length), '1', '0', '0', '—']);
      expect(await cells(`[data-testid="outcomes-${experiment.id}"] tr[data-variant=B]`)).toEqual(['B', String(inB.length), '0', '0', '1', revenueCell]);
      expect(await page.locator('main').innerText()).not.toMatch(/untrained_blend|mmrLambda|item_cf|rp3beta|blendWeights/);
      await page.screenshot({ path: `${ARTIFACTS}/page-recommender-experiments-${lang === 'en' ? 'en' : 'zh'}.png`, fullPage: true });
    }

    await page.locator(`[data-recommender-experiment="${NAME}"]`).getByRole('button', { name: '停止实验' }).click();
    await page.locator(`[data-recommender-experiment="${NAME}"] h3 .pill`, { hasText: '已停止' }).waitFor();
    const audit = await queryRows<{ action: string }>(database.db, sql`SELECT action FROM audit_log WHERE subject_type = 'recommender_experiment' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['recommender_experiment.create', 'recommender_experiment.start', 'recommender_experiment.stop']);
  }, 90_000);
});
