/*
 * npm run bench:recs:http — the mini-program's `GET /mp/recommendations?limit=10` over HTTP, on
 * PostgreSQL, at catalogue scale: 5,000 courses × 50,000 followers × 1,000,000 events by default.
 * `npm run bench:recs:http -- --courses 500 --followers 5000 --events 100000` for a quick run;
 * `--requests N` (one-at-a-time and concurrent requests each), `--concurrency N` (8).
 *
 * What runs, in order:
 * 1. Seeds a throw-away schema (BENCH_POSTGRES_URL, see scripts/bench-database.ts) with SQL
 *    generate_series: courses are the 30 demo courses' texts and tags repeated as numbered
 *    editions (so Chinese is segmented by jieba as in production), followers in 30 topic groups,
 *    course events (view 78 %, click 14 %, like 3 %, share 1 %, checkout 2 %, purchase 2 %) that
 *    fall 70 % inside the follower's topic and 30 % anywhere, both Zipf-like (a few courses get
 *    most events; some followers are far more active than others), spread over 90 days; an
 *    onboarding message with its topic's terms for 30 % of followers; entitlements for purchases.
 * 2. The real retrain (bots/wire-recommender.ts buildRecommender().retrain: the recommender, then
 *    purchase propensity and churn risk): wall time, time per stage, and peak resident memory
 *    (process.resourceUsage().maxRSS, the process's high-water mark; seeding runs in PostgreSQL).
 * 3. Listing and indexing the catalogue on sale (what a background refresh does), timed alone.
 * 4. The real express app (createHttpApp + the /mp router, the production recommender chain) on
 *    127.0.0.1; session tokens are issued with the router's secret, as POST /mp/login does. The
 *    first request loads the model and indexes the catalogue (timed alone), then a warm-up.
 * 5. Requests for random followers, one at a time, then `--concurrency` in flight, sent by a
 *    client in its own process (this file, started with `--load-process`; keep-alive connections,
 *    same priority as the server), as a real client would be: latency measured by that client from
 *    the start of the request to the last byte of the answer (p50/p95/p99/max), and the server
 *    process's CPU time per request (process.cpuUsage of this process, which runs only the app
 *    during the load, over the whole load). GET /healthz through the same client is measured the
 *    same way as the floor. PostgreSQL's CPU and the client's are not counted; on this 2-core
 *    machine all three still share the CPUs.
 *
 * The app logs at `silent` (production writes one access-log line per request). The machine this
 * runs on may be shared: run it more than once and report every run.
 */
import { randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import { Agent, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { createHttpApp, createLogger, createMetrics } from '../adapters/index.js';
import { createMpRouter, issueSessionToken } from '../adapters/http/mp/index.js';
import { buildRecommender } from '../bots/wire-recommender.js';
import { seededRandom, systemClock } from '../core/index.js';
import { indexCatalogue } from '../core/recommend/index.js';
import { createRepositories, PgUnitOfWork, queryRows, type Database } from '../models/index.js';
import { PgMpPayNotificationLog } from '../models/repositories/pg-mp-pay-notification-log.js';
import { demoCourses } from '../models/seed/demo-courses.js';
import { openBenchDatabase } from './bench-database.js';

const { values } = parseArgs({
  options: {
    courses: { type: 'string', default: '5000' },
    followers: { type: 'string', default: '50000' },
    events: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    'load-process': { type: 'boolean', default: false },
  },
});
const N_COURSES = Number(values.courses);
const N_FOLLOWERS = Number(values.followers);
const N_EVENTS = Number(values.events);
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const LIMIT = 10;
const SECRET = randomBytes(24).toString('hex');
const TARGETS = { serialP99Ms: 15, concurrentP99Ms: 50, retrainS: 120, retrainMb: 500 };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** A deterministic version-4 UUID for the n-th course or follower, so events can name them without a join. */
const idOf = (kind: 'c' | 'f', n: SQL) => sql`overlay(overlay(md5(${sql.raw(`'${kind}'`)} || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;

/** Courses, followers, events, messages and entitlements, generated in PostgreSQL. */
async function seed(database: Database): Promise<void> {
  const demo = demoCourses();
  const topics = demo.length;
  const rows = Array.from({ length: N_COURSES }, (_, i) => {
    const d = demo[i % topics]!;
    const edition = Math.floor(i / topics) + 1;
    return {
      n: i, slug: `${d.slug}-${edition}`, title_zh: `${d.titleZh}（第 ${edition} 期）`, title_en: `${d.titleEn} (edition ${edition})`,
      description_zh: d.descriptionZh, description_en: d.descriptionEn, tags: d.tags,
      // Prices spread around the demo price, so every price band has courses.
      price_minor: Math.max(100, Math.round(d.priceMinor * (0.5 + ((i * 7919) % 100) / 66))),
    };
  });
  const db = database.db;
  await queryRows(db, sql`insert into courses (id, slug, title_zh, title_en, description_zh, description_en, tags, price_minor, currency, status, created_at)
    select ${idOf('c', sql`n`)}, slug, title_zh, title_en, description_zh, description_en, tags, price_minor, 'CNY', 'on_sale', now() - (n % 400) * interval '1 day'
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(n int, slug text, title_zh text, title_en text, description_zh text, description_en text, tags text[], price_minor int)`);
  await queryRows(db, sql`insert into followers (id, display_name, locale, time_zone, has_personalization_consent, created_at)
    select ${idOf('f', sql`u`)}, 'bench ' || u, case when u % 5 = 0 then 'en' else 'zh-CN' end, 'Asia/Shanghai', u % 20 <> 0, now() - interval '120 days'
    from generate_series(0, ${N_FOLLOWERS - 1}) u`);
  const perTopic = Math.max(1, Math.floor(N_COURSES / topics));
  await queryRows(db, sql`insert into events (follower_id, kind, platform, external_id, course_id, occurred_at)
    select ${idOf('f', sql`u`)},
           case when r < 0.78 then 'view' when r < 0.92 then 'click' when r < 0.95 then 'like' when r < 0.96 then 'share' when r < 0.98 then 'checkout' else 'purchase' end,
           'api', 'bench-' || e, ${idOf('c', sql`c`)}, now() - random() * interval '90 days'
    from (
      select e, u, random() as r,
             case when random() < 0.7 then least(${N_COURSES - 1}, (u % ${topics}) + ${topics} * floor(power(random(), 2.5) * ${perTopic})::int)
                  else floor(power(random(), 2.5) * ${N_COURSES})::int end as c
      from (select e, floor(power(random(), 1.5) * ${N_FOLLOWERS})::int as u from generate_series(1, ${N_EVENTS}) e) s) x`);
  await queryRows(db, sql`insert into events (follower_id, kind, platform, external_id, terms, occurred_at)
    select ${idOf('f', sql`u`)}, 'message', 'api', 'bench-onboarding-' || u, c.tags, now() - interval '100 days'
    from generate_series(0, ${N_FOLLOWERS - 1}) u join courses c on c.id = ${idOf('c', sql`(u % ${topics})`)}
    where u % 10 < 3`);
  await queryRows(db, sql`insert into entitlements (follower_id, course_id, granted_at)
    select distinct follower_id, course_id, now() from events where kind = 'purchase' on conflict do nothing`);
  await queryRows(db, sql`analyze`);
}

/** Runs the production retrain, timing its stages and noting the process's peak memory. */
async function retrain(database: Database) {
  const repos = createRepositories(database.db);
  const logger = createLogger('silent');
  const { retrain: run } = buildRecommender({ db: database.db, repos, clock: systemClock, logger });
  const stages: Array<{ stage: string; atMs: number }> = [];
  const started = performance.now();
  const rssBefore = process.memoryUsage().rss;
  const result = await run((_, stage) => {
    // "read 50000 events" and the like: one stage, however many pages.
    const name = stage.replace(/\d+/g, 'N');
    if (stages.at(-1)?.stage === name) return;
    stages.push({ stage: name, atMs: performance.now() - started });
    // Printed as it starts too, so a long retrain shows where it is, with what holds the memory then
    // (the V8 heap, garbage included; typed arrays and other memory outside it) and the peak so far.
    const m = process.memoryUsage();
    console.log(`  … ${seconds(performance.now() - started)}: ${name} (RSS ${mb(m.rss)}, heap ${mb(m.heapUsed)}, outside the heap ${mb(m.external)}, peak ${mb(process.resourceUsage().maxRSS * 1024)})`);
  });
  const totalMs = performance.now() - started;
  stages.push({ stage: 'propensity and churn models (after the recommender)', atMs: stages.at(-1)?.atMs ?? 0 });
  const recommenderMs = Number((result.metrics as { trainMs?: number }).trainMs ?? 0);
  return { totalMs, recommenderMs, stages, rssBefore, peakRss: process.resourceUsage().maxRSS * 1024, metrics: result.metrics };
}

function startApp(database: Database): Promise<{ server: Server; base: string }> {
  const repos = createRepositories(database.db);
  const uow = new PgUnitOfWork(database.db);
  const metrics = createMetrics();
  const logger = createLogger('silent');
  const router = createMpRouter({
    uow, clock: systemClock, logger, metrics: metrics.core, repos,
    recordEventsDeps: { uow, clock: systemClock, metrics: metrics.core },
    recommender: buildRecommender({ db: database.db, repos, clock: systemClock, logger }).recommender,
    session: { secret: SECRET, ttlSeconds: 3600, eventsPerMinute: 120 },
    wechat: undefined,
    payment: undefined,
    notifications: new PgMpPayNotificationLog(database.db),
  });
  const app = createHttpApp({ logger, metrics, checkReadiness: () => database.ping(), adminApiToken: randomBytes(24).toString('hex'), mounts: [{ path: '/mp', router, access: 'public' }] });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** What the server's process asks the load process to send, and what comes back. */
type ToLoad = { type: 'load'; requests: Array<{ url: string; token?: string }>; concurrency: number } | { type: 'stop' };
type FromLoad = { type: 'loaded'; times: number[]; wallMs: number; short: number; failed: number } | { type: 'error'; message: string };

/** One GET; resolves with the status, the body and the milliseconds to the last byte. */
function get(agent: Agent, url: string, token?: string): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The client side (the load process): sends the requests with `concurrency` in flight, timing each. */
async function sendRequests(agent: Agent, requests: ReadonlyArray<{ url: string; token?: string }>, concurrency: number): Promise<Extract<FromLoad, { type: 'loaded' }>> {
  const times: number[] = [];
  let short = 0;
  let failed = 0;
  let issued = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (issued < requests.length) {
      const { url, token } = requests[issued++]!;
      const res = await get(agent, url, token);
      times.push(res.ms);
      if (res.status !== 200) failed++;
      else if (url.includes('/recommendations') && (JSON.parse(res.body) as { items: unknown[] }).items.length < LIMIT) short++;
    }
  }));
  return { type: 'loaded', times, wallMs: performance.now() - started, short, failed };
}

function runLoadProcess(): void {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const post = (message: FromLoad) => process.send!(message);
  process.on('message', (message: ToLoad) => {
    if (message.type === 'stop') {
      agent.destroy();
      process.disconnect?.();
      return;
    }
    sendRequests(agent, message.requests, message.concurrency).then(post, (error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
  });
}

/** Starts the client in its own process; `load` sends requests through it and measures this (the server's) process. */
function startLoadProcess() {
  const child = fork(fileURLToPath(import.meta.url), ['--load-process'], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
  return {
    /** Sends the requests; latency as the client saw it, and this process's CPU per request over the load. */
    load(requests: Array<{ url: string; token?: string }>, concurrency: number) {
      const cpu = process.cpuUsage();
      return new Promise<ReturnType<typeof summarise>>((resolve, reject) => {
        child.once('message', (message: FromLoad) => {
          const used = process.cpuUsage(cpu);
          if (message.type === 'error') reject(new Error(message.message));
          else resolve(summarise(message, (used.user + used.system) / 1000 / requests.length));
        });
        child.send({ type: 'load', requests, concurrency } satisfies ToLoad);
      });
    },
    stop(): Promise<void> {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' } satisfies ToLoad);
      return exited;
    },
  };
}

function summarise(loaded: Extract<FromLoad, { type: 'loaded' }>, serverCpuMsPerRequest: number) {
  return { ...percentiles(loaded.times), serverCpuMsPerRequest, perSecond: loaded.times.length / (loaded.wallMs / 1000), short: loaded.short, failed: loaded.failed };
}

function percentiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1)! };
}

const fmt = (r: ReturnType<typeof summarise>) =>
  `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; ${r.perSecond.toFixed(0)} req/s; server CPU ${r.serverCpuMsPerRequest.toFixed(2)} ms/request` +
  `${r.short ? `; ${r.short} answers under ${LIMIT} items` : ''}${r.failed ? `; ${r.failed} FAILED` : ''}`;

async function main(): Promise<void> {
  console.log(`bench:recs:http — GET /mp/recommendations?limit=${LIMIT} over HTTP on PostgreSQL: ${N_COURSES} courses × ${N_FOLLOWERS} followers × ${N_EVENTS} course events`);
  const database = await openBenchDatabase('postgres', 16);
  if (!database) return;
  try {
    let t = performance.now();
    await seed(database);
    console.log(`seeded in ${seconds(performance.now() - t)} (SQL generate_series)`);

    const trained = await retrain(database);
    console.log(`retrain (recommender + propensity): ${seconds(trained.totalMs)} wall, recommender alone ${seconds(trained.recommenderMs)}; RSS before ${mb(trained.rssBefore)}, peak ${mb(trained.peakRss)}`);
    trained.stages.forEach((s, i) => {
      const end = trained.stages[i + 1]?.atMs ?? trained.totalMs;
      if (end - s.atMs >= 500) console.log(`  ${seconds(end - s.atMs).padStart(8)}  ${s.stage}`);
    });
    const m = trained.metrics as Record<string, unknown>;
    console.log(`  model: ${String(m['courses'])} courses, ${String(m['followers'])} followers, ${String(m['events'])} events, generators ${JSON.stringify(m['generators'])}, ranker ${String(m['ranker'])}`);

    const repos = createRepositories(database.db);
    t = performance.now();
    const onSale = [];
    for (let page = 1; ; page++) {
      const result = await repos.courses.list({ page, pageSize: 500, status: 'on_sale' });
      onSale.push(...result.items);
      if (result.items.length < 500) break;
    }
    const listedMs = performance.now() - t;
    t = performance.now();
    indexCatalogue(onSale);
    console.log(`catalogue refresh (background once loaded): list ${onSale.length} courses ${listedMs.toFixed(0)} ms, index ${(performance.now() - t).toFixed(0)} ms`);

    const { server, base } = await startApp(database);
    const client = startLoadProcess();
    try {
      const random = seededRandom(7);
      const followerIds = (await queryRows<{ id: string }>(database.db, sql`select id from followers order by id`)).map((r) => r.id);
      const tokens = Array.from({ length: REQUESTS * 2 + 200 }, () => {
        const followerId = followerIds[Math.floor(random() * followerIds.length)]!;
        return issueSessionToken(SECRET, { followerId, openId: `bench-${followerId}` }, new Date(), 3600).token;
      });
      const url = `${base}/mp/recommendations?limit=${LIMIT}`;
      const agent = new Agent({ keepAlive: true });
      const first = await get(agent, url, tokens[0]);
      agent.destroy();
      console.log(`first request (loads the model, indexes the catalogue): ${first.ms.toFixed(0)} ms, status ${first.status}`);
      if (first.status !== 200) throw new Error(`GET /mp/recommendations answered ${first.status}: ${first.body}`);
      const recommendations = (from: number, n: number) => tokens.slice(from, from + n).map((token) => ({ url, token }));
      await client.load(recommendations(0, 200), CONCURRENCY);

      const floor = await client.load(Array.from({ length: REQUESTS }, () => ({ url: `${base}/healthz` })), 1);
      console.log(`GET /healthz one at a time (floor of this client and app): ${fmt(floor)}`);
      const serial = await client.load(recommendations(200, REQUESTS), 1);
      console.log(`top-${LIMIT} one at a time, ${REQUESTS} random followers: ${fmt(serial)}`);
      const concurrent = await client.load(recommendations(200 + REQUESTS, REQUESTS), CONCURRENCY);
      console.log(`top-${LIMIT} at ${CONCURRENCY} concurrent, ${REQUESTS} random followers: ${fmt(concurrent)}`);

      const verdict = (ok: boolean) => (ok ? 'OK' : 'MISSED');
      console.log(`targets: one at a time p99 < ${TARGETS.serialP99Ms} ms ${verdict(serial.p99 < TARGETS.serialP99Ms)}; ${CONCURRENCY} concurrent p99 < ${TARGETS.concurrentP99Ms} ms ${verdict(concurrent.p99 < TARGETS.concurrentP99Ms)}; ` +
        `retrain < ${TARGETS.retrainS} s ${verdict(trained.totalMs < TARGETS.retrainS * 1000)}; peak RSS < ${TARGETS.retrainMb} MB ${verdict(trained.peakRss < TARGETS.retrainMb * 1024 * 1024)}`);
    } finally {
      await client.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    await database.close();
  }
}

if (values['load-process']) runLoadProcess();
else await main();
