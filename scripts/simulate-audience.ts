/*
 * npm run simulate:audience — how well a broadcast converts, per message, against an audience
 * whose interests and budgets the app never sees.
 *
 * Each simulated follower has hidden interests (one or two catalogue topics), a hidden budget in
 * Telegram Stars and a language. The app learns about them only through its real Telegram webhook
 * (express + telegraf + the update processor and the production recommender chain; not the risk
 * scorer, which rightly takes followers who act at machine speed for bots),
 * with a local Bot API server standing in for Telegram: a follower starts the bot, taps some of
 * their topics in onboarding (not always all, not always any), answers the marketing-consent
 * question, opens a few course cards, and a quarter of them buy a course they like and can afford
 * (tap Buy, Confirm, pay the Stars invoice: pre-checkout and successful_payment). The recommender
 * is then retrained, as the nightly job does.
 *
 * Then one arm's broadcasts go out through the real outbox dispatcher and Telegram messenger. Each
 * follower who receives a message reacts to the course on its card, by their hidden interests and
 * budget only: they buy it (through the same Buy → Confirm → invoice → payment path) with a
 * probability that is high when it matches an interest and is within budget, and unsubscribe
 * ("退订" / "stop", as a message to the bot) with a probability that is high when it does not
 * match. The figures are counted from what happened (paid orders and opt-outs stored after the
 * send), next to the purchases the app itself attributes to the broadcast.
 *
 * Arms, each on a fresh database with the same audience (same seed, same warm-up):
 *   best seller    one broadcast to everyone offering the best-selling course
 *   per segment    one broadcast per interest topic (followers the app thinks are into it), each
 *                  offering that topic's best seller; bigger segments first (priority), so a
 *                  follower in several segments gets one message
 *   own pick       one broadcast to everyone with `pick: "recommended"`: each follower's own course
 *
 * SIMULATE_SEEDS (default 1,2,3) and SIMULATE_FOLLOWERS (default 300) size the run; PostgreSQL as
 * for the benchmarks (DATABASE_URL / TEST_DATABASE_URL / 127.0.0.1), else the embedded PGlite.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createLogger, createMetrics } from '../adapters/index.js';
import { createBroadcast, enqueueBroadcast, dispatchOutbox } from '../core/campaigns/index.js';
import { seededRandom, systemClock, type Course, type Principal, type Recommender } from '../core/index.js';
import { initTensorflowBackend } from '../core/recommend/index.js';
import { createRepositories, PgUnitOfWork, queryRows, seedDemoCatalogue } from '../models/index.js';
import { createCampaignRepositories } from '../models/repositories/pg-campaign-repositories.js';
import { buildRecommender } from '../bots/wire-recommender.js';
import { buildTelegramChannel } from '../bots/wire-telegram.js';
import type { TelegramConfig } from '../bots/config/telegram.js';
import { BENCH_SETTINGS, openBenchDatabase } from './bench-database.js';
import { serveTelegramWebhook } from './serve-webhook.js';

const SEEDS = BENCH_SETTINGS.simulateSeeds;
const FOLLOWERS = BENCH_SETTINGS.simulateFollowers;
const TOKEN = '5550099:simulate-audience-token-abcdef';
const SECRET = `sim_${randomBytes(12).toString('hex')}`;
const ADMIN: Principal = { id: null, role: 'admin', actor: 'simulation' };
const IN_FLIGHT = 12;

/** How a follower reacts to a marketing message (hidden from the app). */
const RESPONSE = {
  buyIfMatchAffordable: 0.15,
  buyIfMatchTooDear: 0.015,
  buyIfNoMatch: 0.004,
  optOutIfMatch: 0.015,
  optOutIfNoMatch: 0.08,
};

type ArmName = 'best seller' | 'per segment' | 'own pick';
const ARMS: ArmName[] = ['best seller', 'per segment', 'own pick'];

interface SimFollower { userId: number; interests: string[]; budgetStars: number; language: 'zh-hans' | 'en' }

/** The hidden audience: interests drawn from topic popularities of this seed, log-normal budgets. */
function makeAudience(seed: number, count: number, tags: readonly string[]): SimFollower[] {
  const random = seededRandom(seed);
  const weights = tags.map(() => random() ** 2 + 0.03);
  const total = weights.reduce((a, b) => a + b, 0);
  const drawTag = () => {
    let r = random() * total;
    for (let i = 0; i < tags.length; i++) if ((r -= weights[i]!) <= 0) return tags[i]!;
    return tags.at(-1)!;
  };
  return Array.from({ length: count }, (_, i) => {
    const interests = new Set([drawTag()]);
    if (random() < 0.4) interests.add(drawTag());
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return { userId: 700_000_000 + seed * 100_000 + i, interests: [...interests], budgetStars: Math.round(Math.exp(Math.log(260) + 0.6 * normal)), language: random() < 0.35 ? 'en' : 'zh-hans' };
  });
}

interface Call { method: string; body: Record<string, unknown> }

/** The local Bot API: answers at once and keeps what was sent to each chat, so followers can read it. */
class BotApi {
  readonly byChat = new Map<string, Call[]>();
  private server: Server | undefined;
  private messageId = 0;
  private readonly waiters = new Set<() => void>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = /\/bot[^/]+\/(\w+)$/.exec(req.url ?? '')?.[1] ?? 'unknown';
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
        let result: unknown = true;
        if (method === 'getMe') result = { id: 5550099, is_bot: true, first_name: 'Zhiliao Sim', username: 'ZhiliaoSimBot' };
        if (body['chat_id'] !== undefined) {
          const chat = String(body['chat_id']);
          const calls = this.byChat.get(chat) ?? [];
          calls.push({ method, body });
          this.byChat.set(chat, calls);
          result = { message_id: ++this.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: 'private' }, text: body['text'] };
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
        for (const wake of [...this.waiters]) wake();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  callsTo(userId: number): Call[] {
    return this.byChat.get(String(userId)) ?? [];
  }

  /** Waits until `userId` has been sent a call matching `isWanted` after the first `after` calls. */
  async waitFor(userId: number, after: number, isWanted: (call: Call) => boolean, timeoutMs = 10_000): Promise<Call> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.callsTo(userId).slice(after).find(isWanted);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such call for ${userId} within ${timeoutMs} ms; it was sent: ${JSON.stringify(this.callsTo(userId).slice(after))}`);
      await new Promise<void>((resolve) => {
        const wake = () => { this.waiters.delete(wake); clearTimeout(timer); resolve(); };
        const timer = setTimeout(wake, 200);
        this.waiters.add(wake);
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** The callback data of every inline button in a call. */
function buttonsOf(call: Call): string[] {
  const markup = call.body['reply_markup'] as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | string | undefined;
  const parsed = typeof markup === 'string' ? (JSON.parse(markup) as { inline_keyboard?: Array<Array<{ callback_data?: string }>> }) : markup;
  return (parsed?.inline_keyboard ?? []).flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

/** One simulated Telegram user talking to the webhook. */
class TelegramUser {
  private static nextUpdateId = 1;

  constructor(private readonly webhook: string, private readonly api: BotApi, readonly person: SimFollower) {}

  private async post(update: Record<string, unknown>): Promise<void> {
    const response = await fetch(this.webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: TelegramUser.nextUpdateId++, ...update }),
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    await response.arrayBuffer();
  }

  private get from() {
    return { id: this.person.userId, is_bot: false, first_name: `Sim${this.person.userId % 100_000}`, language_code: this.person.language };
  }

  say(text: string): Promise<void> {
    const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] : undefined;
    return this.post({ message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: this.person.userId, type: 'private' }, from: this.from, text, ...(entities ? { entities } : {}) } });
  }

  tap(data: string): Promise<void> {
    return this.post({ callback_query: { id: `cb${TelegramUser.nextUpdateId}`, from: this.from, chat_instance: `ci${this.person.userId}`, data, message: { message_id: 1, date: 0, chat: { id: this.person.userId, type: 'private' } } } });
  }

  /** Buy → Confirm → the Stars invoice → pre-checkout → successful_payment. False when no invoice came. */
  async buy(courseId: string): Promise<boolean> {
    await this.tap(`buy:${courseId}`);
    const before = this.api.callsTo(this.person.userId).length;
    await this.tap(`pay:${courseId}`);
    const invoice = await this.api.waitFor(this.person.userId, before, (c) => c.method === 'sendInvoice' || c.method === 'sendMessage', 10_000);
    if (invoice.method !== 'sendInvoice') return false;
    const payload = String(invoice.body['payload']);
    const amount = (invoice.body['prices'] as Array<{ amount: number }>)[0]!.amount;
    await this.post({ pre_checkout_query: { id: `pcq${TelegramUser.nextUpdateId}`, from: this.from, currency: 'XTR', total_amount: amount, invoice_payload: payload } });
    await this.post({
      message: {
        message_id: 2, date: Math.floor(Date.now() / 1000), chat: { id: this.person.userId, type: 'private' }, from: this.from,
        successful_payment: { currency: 'XTR', total_amount: amount, invoice_payload: payload, telegram_payment_charge_id: `sim-${payload}`, provider_payment_charge_id: '' },
      },
    });
    return true;
  }
}

async function pool<T>(items: readonly T[], limit: number, step: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await step(items[next++]!);
  }));
}

const matches = (course: Course, person: SimFollower) => course.tags.some((t) => person.interests.includes(t));

interface ArmResult {
  seed: number; arm: ArmName; broadcasts: number; messages: number; buyers: number; optOuts: number; matched: number; affordable: number; attributed: number; reasons: Map<string, number>;
}

/** One arm on a fresh database: the warm-up, a retrain, the arm's broadcasts, and the audience's reactions. */
async function runArm(seed: number, arm: ArmName): Promise<ArmResult> {
  const database = (await openBenchDatabase('postgres')) ?? (await openBenchDatabase('pglite'))!;
  const api = new BotApi();
  let server: Server | undefined;
  try {
    await seedDemoCatalogue(database.db);
    const repos = createRepositories(database.db);
    const courses = (await repos.courses.list({ page: 1, pageSize: 100, status: 'on_sale' })).items;
    const tags = [...new Set(courses.flatMap((c) => c.tags))].sort();
    const audience = makeAudience(seed, FOLLOWERS, tags);
    const random = seededRandom(seed * 7919 + ARMS.indexOf(arm));
    const behaviour = seededRandom(seed * 104_729);

    const logger = createLogger('silent');
    const metrics = createMetrics();
    const uow = new PgUnitOfWork(database.db);
    const engine = buildRecommender({ db: database.db, repos, clock: systemClock, logger });
    const apiRoot = await api.start();
    const config: TelegramConfig = {
      botToken: TOKEN, mode: 'webhook', apiRoot, webhookSecret: SECRET, webhookUrl: undefined, webhookPath: '/telegram/webhook',
      rateLimits: { globalPerSecond: 100_000, privateChatPerSecond: 100_000, groupPerMinute: 1_000_000 },
    };
    const channel = buildTelegramChannel(
      {
        db: database.db, repos, uow, clock: systemClock, logger, metrics,
        // No risk scorer: simulated followers act at machine speed (eight taps in a second), which it
        // rightly takes for a bot and holds their checkouts.
        recordEventsDeps: { uow, clock: systemClock, metrics: metrics.core },
        recommender: engine.recommender,
      },
      config,
      TOKEN,
    );
    let webhook: string;
    ({ server, url: webhook } = await serveTelegramWebhook(channel, { database, logger, metrics, webhookPath: config.webhookPath }));
    const users = audience.map((person) => new TelegramUser(webhook, api, person));

    // Warm-up: the same for every arm of a seed (its own random stream, in follower order).
    const plans = users.map((user) => {
      const p = user.person;
      const liked = courses.filter((c) => matches(c, p));
      return {
        user,
        topics: p.interests.filter(() => behaviour() < 0.7),
        consents: behaviour() < 0.85,
        opens: [...liked.filter(() => behaviour() < 0.35), ...(behaviour() < 0.3 ? [courses[Math.floor(behaviour() * courses.length)]!] : [])].slice(0, 3),
        buys: behaviour() < 0.25 ? liked.filter((c) => (c.priceStars ?? Infinity) <= p.budgetStars)[0] : undefined,
      };
    });
    await pool(plans, IN_FLIGHT, async (plan) => {
      await plan.user.say('/start');
      for (const topic of plan.topics) await plan.user.tap(`topic:${topic}`);
      await plan.user.tap('topics:done');
      await plan.user.tap(plan.consents ? 'consent:yes' : 'consent:no');
      for (const course of plan.opens) await plan.user.tap(`info:${course.id}`);
      if (plan.buys) await plan.user.buy(plan.buys.id);
    });
    await channel.idle();
    await initTensorflowBackend(logger);
    await engine.retrain();

    // The arm's broadcasts.
    const campaigns = createCampaignRepositories(database.db);
    await campaigns.guardSettings.update({ dailyCap: 3, weeklyCap: 10, quietHours: { start: '00:00', end: '00:00' } });
    const text = (zh: string, en: string) => ({ 'zh-CN': zh, en });
    const bestSellerOf = async (tag?: string) => {
      const [row] = await queryRows<{ id: string }>(database.db, sql`
        SELECT c.id FROM courses c LEFT JOIN orders o ON o.course_id = c.id AND o.status = 'paid'
        WHERE c.status = 'on_sale' ${tag ? sql`AND ${tag} = ANY(c.tags)` : sql``}
        GROUP BY c.id ORDER BY count(o.id) DESC, c.price_minor, c.id LIMIT 1`);
      return row?.id;
    };
    const broadcasts: Array<{ name: string; variant: Record<string, unknown>; segment: Record<string, unknown>; priority: number }> = [];
    // A careful creator leaves out those who own the course offered.
    if (arm === 'best seller') {
      const bestSeller = (await bestSellerOf())!;
      broadcasts.push({ name: 'best seller', variant: { key: 'A', text: text('热门好课：{course}', 'Our best seller: {course}'), courseId: bestSeller }, segment: { notOwnsCourseId: bestSeller }, priority: 0 });
    } else if (arm === 'own pick') {
      broadcasts.push({ name: 'own pick', variant: { key: 'A', text: text('为你挑选：{course}（{reason}）', 'Picked for you: {course} ({reason})'), pick: 'recommended' }, segment: {}, priority: 0 });
    } else {
      const sizes = await Promise.all(tags.map(async (tag) => ({ tag, size: (await campaigns.audience.count({ interestTags: [tag] }, new Date())) })));
      const segments = sizes.filter((s) => s.size > 0).sort((a, b) => b.size - a.size || a.tag.localeCompare(b.tag));
      for (const [i, { tag }] of segments.entries()) {
        const courseId = (await bestSellerOf(tag))!;
        broadcasts.push({ name: `segment ${tag}`, variant: { key: 'A', text: text('你关注的方向有好课：{course}', 'For your interest: {course}'), courseId }, segment: { interestTags: [tag], notOwnsCourseId: courseId }, priority: 100 - i });
      }
    }
    const sendStarted = new Date();
    const callsBefore = new Map(users.map((u) => [u.person.userId, api.callsTo(u.person.userId).length]));
    const ids: string[] = [];
    for (const b of broadcasts) {
      const campaign = await createBroadcast({ campaigns: campaigns.campaigns, courses: repos.courses as never, clock: systemClock }, {
        name: b.name, variants: [b.variant], segment: b.segment, priority: Math.max(-100, Math.min(100, b.priority)), attributionHours: 72,
      }, ADMIN);
      await enqueueBroadcast({ campaigns: campaigns.campaigns, audience: campaigns.audience, outbox: campaigns.outbox, clock: systemClock }, campaign.id);
      ids.push(campaign.id);
    }
    // Why each follower's own pick was made (the reason the recommender gave the dispatcher).
    const reasons = new Map<string, number>();
    const recommender: Recommender = {
      recommend: async (followerId, options) => {
        const picks = await engine.recommender.recommend(followerId, options);
        if (picks[0]) reasons.set(picks[0].reason.code, (reasons.get(picks[0].reason.code) ?? 0) + 1);
        return picks;
      },
    };
    const dispatchDeps = {
      outbox: campaigns.outbox, caps: campaigns.caps, guardSettings: campaigns.guardSettings, content: campaigns.content, courses: repos.courses,
      messengers: new Map([['telegram' as const, channel.messenger]]), recommender, crossSell: campaigns.rules, rates: campaigns.purchaseRates, clock: systemClock, logger,
    };
    while ((await dispatchOutbox(dispatchDeps, { batchSize: 50, leaseMs: 60_000, concurrency: 8, maxAttempts: 3 })).claimed > 0);

    // The audience reacts to what reached them, by what they are really into and can pay.
    const byCourse = new Map(courses.map((c) => [c.id, c]));
    let messages = 0;
    let matched = 0;
    let affordable = 0;
    const reactions: Array<() => Promise<unknown>> = [];
    for (const user of users) {
      const received = api.callsTo(user.person.userId).slice(callsBefore.get(user.person.userId));
      const offers = received.flatMap((c) => buttonsOf(c).filter((b) => b.startsWith('buy:')).map((b) => b.slice(4)));
      if (offers.length === 0) continue;
      for (const courseId of offers) {
        messages += 1;
        const course = byCourse.get(courseId)!;
        const isMatch = matches(course, user.person);
        if (isMatch) matched += 1;
        const isAffordable = (course.priceStars ?? Infinity) <= user.person.budgetStars;
        if (isMatch && isAffordable) affordable += 1;
        const roll = random();
        const buy = isMatch ? (isAffordable ? RESPONSE.buyIfMatchAffordable : RESPONSE.buyIfMatchTooDear) : RESPONSE.buyIfNoMatch;
        const optOut = isMatch ? RESPONSE.optOutIfMatch : RESPONSE.optOutIfNoMatch;
        if (roll < buy) reactions.push(() => user.buy(courseId));
        else if (roll < buy + optOut) reactions.push(() => user.say(user.person.language === 'en' ? 'stop' : '退订'));
      }
    }
    await pool(reactions, IN_FLIGHT, async (react) => void (await react()));
    await channel.idle();

    const [after] = await queryRows<{ buyers: number; opt_outs: number }>(database.db, sql`
      SELECT (SELECT count(DISTINCT follower_id)::int FROM orders WHERE status = 'paid' AND paid_at >= ${sendStarted.toISOString()}::timestamptz) AS buyers,
             (SELECT count(*)::int FROM followers WHERE is_opted_out) AS opt_outs`);
    let attributed = 0;
    for (const id of ids) for (const v of await campaigns.content.variantStats('broadcast', id)) attributed += v.conversions;
    await channel.service.stop();
    return { seed, arm, broadcasts: broadcasts.length, messages, buyers: after!.buyers, optOuts: after!.opt_outs, matched, affordable, attributed, reasons };
  } finally {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await api.stop();
    await database.close();
  }
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(2)} %`);

async function main(): Promise<void> {
  const results: ArmResult[] = [];
  for (const seed of SEEDS) {
    for (const arm of ARMS) {
      const started = performance.now();
      const result = await runArm(seed, arm);
      results.push(result);
      console.log(`seed ${seed}, ${arm}: ${result.messages} messages, ${result.buyers} buyers, ${result.optOuts} opt-outs (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  console.log(`\nSimulated audience: ${FOLLOWERS} followers per run, seeds ${SEEDS.join(', ')}; reactions by hidden interests and budgets (see the header of scripts/simulate-audience.ts)`);
  console.log('| seed | arm | broadcasts | messages | offer matches an interest | … and the budget | buyers / message | opt-outs / message | conversions the app attributes (Buy tap or purchase after the message) |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(`| ${r.seed} | ${r.arm} | ${r.broadcasts} | ${r.messages} | ${pct(r.matched, r.messages)} | ${pct(r.affordable, r.messages)} | ${pct(r.buyers, r.messages)} | ${pct(r.optOuts, r.messages)} | ${r.attributed} |`);
  }
  const pooled = (arm: ArmName) => {
    const rs = results.filter((r) => r.arm === arm);
    const sum = (f: (r: ArmResult) => number) => rs.reduce((a, r) => a + f(r), 0);
    return { messages: sum((r) => r.messages), buyers: sum((r) => r.buyers), optOuts: sum((r) => r.optOuts) };
  };
  console.log('\n| arm (all seeds) | messages | buyers / message | opt-outs / message |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const arm of ARMS) {
    const p = pooled(arm);
    console.log(`| ${arm} | ${p.messages} | ${pct(p.buyers, p.messages)} | ${pct(p.optOuts, p.messages)} |`);
  }
  const reasons = new Map<string, number>();
  for (const r of results) for (const [code, n] of r.reasons) reasons.set(code, (reasons.get(code) ?? 0) + n);
  console.log(`\nThe reason of the recommender's first pick for each follower of the own-pick arm (all seeds): ${[...reasons].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ')}`);
  const blast = pooled('best seller');
  const own = pooled('own pick');
  const segments = pooled('per segment');
  const rate = (p: { buyers: number; optOuts: number; messages: number }, k: 'buyers' | 'optOuts') => p[k] / Math.max(1, p.messages);
  console.log(`\nTarget: own pick ≥ 2× the best-seller blast per message (${(rate(own, 'buyers') / Math.max(1e-9, rate(blast, 'buyers'))).toFixed(2)}×), `
    + `≤ 0.5× its opt-outs (${(rate(own, 'optOuts') / Math.max(1e-9, rate(blast, 'optOuts'))).toFixed(2)}×), `
    + `and ≥ one broadcast per segment (${(rate(own, 'buyers') / Math.max(1e-9, rate(segments, 'buyers'))).toFixed(2)}×).`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
