import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { createLogger } from '../adapters/index.js';
import { RateLimiter, TELEGRAM_RATE_LIMITS, TelegramMessenger, type RateLimits } from '../adapters/telegram/index.js';
import { createBroadcast, dispatchOutbox, enqueueBroadcast, type DispatchDeps } from '../core/campaigns/index.js';
import { systemClock, type Messenger, type Principal } from '../core/index.js';
import { createRepositories, migrate, openDatabase, PgSendLogRepository, queryRows, type Database } from '../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../models/repositories/pg-campaign-repositories.js';
import { BotApiSink } from '../test/integration/campaigns-support/bot-api-sink.js';
import { SinkMessenger } from '../test/integration/campaigns-support/sink-messenger.js';
import { seedFollowers } from '../test/integration/campaigns-support/seed-followers.js';
import { loadBenchSettings } from '../bots/config/index.js';

/*
 * npm run bench:broadcast [-- --followers 100000 --real-seconds 20]
 *
 * On PostgreSQL (DATABASE_URL or TEST_DATABASE_URL; a throwaway schema, dropped at the end) or
 * in-memory PGlite: seeds followers with Telegram identities, then measures
 *   1. plan + enqueue of a broadcast to all of them;
 *   2. send throughput of the whole pipeline (outbox lease, guards, cap claims, TelegramMessenger with
 *      its send log) with the platform limit lifted, against a local Bot API sink;
 *   3. with Telegram's limits on (30 msg/s) against a sink that answers 429 above 30 msg/s, for a
 *      bounded run: achieved rate and 429s.
 */
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const FOLLOWERS = Number(args.get('followers') ?? 100_000);
const REAL_SECONDS = Number(args.get('real-seconds') ?? 20);
const TOKEN = '5550099:bench-token-abcdefghijklmn';
/** `telegram` (default): the real TelegramMessenger with its send log; `http`: a bare HTTP messenger, to see the outbox alone. */
const MESSENGER = args.get('messenger') ?? 'telegram';
/** The bench's broadcasts are created as the admin API token would create them. */
const BENCH_ADMIN: Principal = { id: null, role: 'admin', actor: 'bench' };
const logger = createLogger('warn');

function progress(label: string, done: number, total: number, startedMs: number): void {
  const seconds = (performance.now() - startedMs) / 1000;
  process.stdout.write(`\r  ${label}: ${done.toLocaleString()} / ${total.toLocaleString()} (${(done / Math.max(seconds, 1e-3)).toFixed(0)}/s)      `);
}

async function openBenchDatabase(): Promise<{ database: Database; label: string; cleanup: () => Promise<void> }> {
  const url = loadBenchSettings().configuredPostgresUrl;
  if (!url) {
    const database = await openDatabase({});
    await migrate(database);
    return { database, label: 'PGlite (in memory)', cleanup: () => database.close() };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
  await admin.execScript(`CREATE SCHEMA ${schema}`);
  const database = await openDatabase({ databaseUrl: url, searchPath: schema, poolSize: 40 });
  await migrate(database);
  return {
    database,
    label: `PostgreSQL (schema ${schema})`,
    cleanup: async () => {
      await database.close();
      await admin.execScript(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

function messengerFor(database: Database, apiRoot: string, limits: RateLimits): TelegramMessenger {
  return new TelegramMessenger({
    telegram: new Telegram(TOKEN, { apiRoot }),
    sendLog: new PgSendLogRepository(database.db),
    followers: createRepositories(database.db).followers,
    limiter: new RateLimiter(limits),
    logger,
  });
}

/**
 * Checks the limit-lifted run delivered every message exactly once: each follower's chat got one
 * message at the sink, the outbox marks them all sent, and the send log (TelegramMessenger's; the
 * bare HTTP messenger keeps none) has one `sent` row each. Throws (the benchmark fails) otherwise.
 */
async function verifyExactlyOnce(database: Database, repos: CampaignRepositories, campaignId: string, enqueued: number, sink: BotApiSink): Promise<string> {
  const hasSendLog = MESSENGER !== 'http';
  const perChat = new Map<string, number>();
  for (const m of sink.messages) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
  const repeated = [...perChat.values()].filter((n) => n > 1).length;
  const progress = await repos.campaigns.progress(campaignId);
  const [log] = await queryRows<{ sent: number; other: number }>(
    database.db,
    sql`SELECT count(*) FILTER (WHERE s.status = 'sent')::int AS sent, count(*) FILTER (WHERE s.status <> 'sent')::int AS other
        FROM outbox o JOIN sends s ON s.platform = 'telegram' AND s.idempotency_key = 'outbox:' || o.id
        WHERE o.campaign_id = ${campaignId}::uuid`,
  );
  const summary = `${perChat.size.toLocaleString()} chats got a message, ${repeated} more than one; outbox ${progress.sent.toLocaleString()} sent` +
    (hasSendLog ? `; send log ${log!.sent.toLocaleString()} sent, ${log!.other} other` : '');
  const isLogged = !hasSendLog || (log!.sent === enqueued && log!.other === 0);
  const isExactlyOnce = perChat.size === enqueued && repeated === 0 && sink.messages.length === enqueued && progress.sent === enqueued && isLogged;
  if (!isExactlyOnce) throw new Error(`not every message was delivered exactly once: ${summary} (expected ${enqueued.toLocaleString()} of each)`);
  return summary;
}

async function main(): Promise<void> {
  const { database, label, cleanup } = await openBenchDatabase();
  const repos = createCampaignRepositories(database.db);
  const courses = createRepositories(database.db).courses;
  const rows: Array<[string, string]> = [['database', label], ['followers', FOLLOWERS.toLocaleString()]];
  try {
    // Guards on, but nothing held or capped: the benchmark measures the pipeline, not the policy.
    await repos.guardSettings.update({ dailyCap: 100, weeklyCap: 100, quietHours: { start: '00:00', end: '00:00' } });
    console.log(`bench:broadcast on ${label}`);
    let started = performance.now();
    for (let done = 0; done < FOLLOWERS; done += 10_000) {
      await seedFollowers(database.db, Math.min(10_000, FOLLOWERS - done), { prefix: `${9 + done / 10_000}0`, timeZone: 'Asia/Shanghai' });
      progress('seeding followers', Math.min(done + 10_000, FOLLOWERS), FOLLOWERS, started);
    }
    process.stdout.write('\n');
    // Fresh bulk-loaded tables have no statistics yet; autovacuum would gather them shortly.
    await database.execScript('ANALYZE');

    // 1. Plan and enqueue.
    started = performance.now();
    const campaign = await createBroadcast({ campaigns: repos.campaigns, courses, clock: systemClock }, {
      name: 'bench',
      variants: [{ key: 'A', text: { en: 'Winter sale', 'zh-CN': '冬季特惠' } }, { key: 'B', text: { en: 'Winter sale!', 'zh-CN': '冬季特惠！' } }],
    }, BENCH_ADMIN);
    const planStart = performance.now();
    const { enqueued } = await enqueueBroadcast({ campaigns: repos.campaigns, audience: repos.audience, outbox: repos.outbox, clock: systemClock }, campaign.id, {
      onProgress: (n) => progress('planning + enqueueing', n, FOLLOWERS, planStart),
    });
    const planSeconds = (performance.now() - started) / 1000;
    process.stdout.write('\n');
    await database.execScript('ANALYZE outbox');
    rows.push(['plan + enqueue', `${enqueued.toLocaleString()} messages in ${planSeconds.toFixed(2)} s (${(enqueued / planSeconds).toFixed(0)}/s)`]);

    // 2. Throughput with the platform limit lifted.
    const fastSink = new BotApiSink();
    const fastRoot = await fastSink.start();
    const lifted: RateLimits = { globalPerSecond: 1_000_000, privateChatPerSecond: 1_000_000, groupPerMinute: 1_000_000 };
    const deps = (messenger: Messenger): DispatchDeps => ({
      outbox: repos.outbox, caps: repos.caps, guardSettings: repos.guardSettings, content: repos.content, courses,
      messengers: new Map([['telegram', messenger]]), clock: systemClock, logger,
    });
    const fastDeps = deps(MESSENGER === 'http' ? new SinkMessenger(fastRoot, { token: TOKEN }) : messengerFor(database, fastRoot, lifted));
    rows.push(['messenger', MESSENGER === 'http' ? 'bare HTTP (SinkMessenger)' : 'TelegramMessenger (telegraf, send log, limiter)']);
    const loops = database.kind === 'postgres' ? 6 : 1;
    started = performance.now();
    let sent = 0;
    const ticker = setInterval(() => progress('sending, limit lifted', sent, enqueued, started), 500);
    await Promise.all(
      Array.from({ length: loops }, async () => {
        for (;;) {
          const counts = await dispatchOutbox(fastDeps, { batchSize: 200, leaseMs: 120_000, concurrency: 32, maxAttempts: 3 });
          sent += counts.sent;
          if (counts.claimed === 0) return;
        }
      }),
    );
    clearInterval(ticker);
    const fastSeconds = (performance.now() - started) / 1000;
    progress('sending, limit lifted', sent, enqueued, started);
    process.stdout.write('\n');
    await fastSink.stop();
    rows.push(['send, limit lifted', `${sent.toLocaleString()} sent in ${fastSeconds.toFixed(1)} s = ${(sent / fastSeconds).toFixed(0)} msg/s (${fastSink.messages.length.toLocaleString()} arrived at the sink)`]);
    rows.push(['exactly once', await verifyExactlyOnce(database, repos, campaign.id, enqueued, fastSink)]);

    // 3. Telegram's limits on, for a bounded run.
    const realSink = new BotApiSink({ ratePerSecond: TELEGRAM_RATE_LIMITS.globalPerSecond });
    const realRoot = await realSink.start();
    const second = await createBroadcast({ campaigns: repos.campaigns, courses, clock: systemClock }, { name: 'bench-real', variants: [{ key: 'A', text: { en: 'Last call' } }] }, BENCH_ADMIN);
    await enqueueBroadcast({ campaigns: repos.campaigns, audience: repos.audience, outbox: repos.outbox, clock: systemClock }, second.id);
    const realDeps = deps(messengerFor(database, realRoot, TELEGRAM_RATE_LIMITS));
    let stop = false;
    started = performance.now();
    const realTicker = setInterval(() => progress(`sending at ${TELEGRAM_RATE_LIMITS.globalPerSecond} msg/s for ${REAL_SECONDS} s`, realSink.messages.length, Math.round(REAL_SECONDS * 30), started), 1000);
    const stopper = setTimeout(() => (stop = true), REAL_SECONDS * 1000);
    // Two loops share one messenger (one limiter): one claims the next batch while the other sends.
    await Promise.all([0, 1].map(async () => {
      while (!stop) await dispatchOutbox(realDeps, { batchSize: 30, leaseMs: 120_000, concurrency: 30, maxAttempts: 3 });
    }));
    clearTimeout(stopper);
    clearInterval(realTicker);
    process.stdout.write('\n');
    const arrivals = realSink.messages.map((m) => m.at).sort((a, b) => a - b);
    const first = arrivals[0] ?? 0;
    const overall = arrivals.length / ((arrivals.at(-1)! - first) / 1000);
    // After the first second the initial burst allowance (30) is spent: this is the sustained rate.
    const steadyWindowS = Math.floor((arrivals.at(-1)! - first) / 1000) - 1;
    const steady = arrivals.filter((t) => t >= first + 1000 && t < first + 1000 + steadyWindowS * 1000).length / steadyWindowS;
    await realSink.stop();
    rows.push([`send, ${TELEGRAM_RATE_LIMITS.globalPerSecond} msg/s limit`, `${arrivals.length} sent in ${REAL_SECONDS} s: sustained ${steady.toFixed(2)} msg/s (${((steady / 30 - 1) * 100).toFixed(1)}% off 30), overall incl. initial burst ${overall.toFixed(2)} msg/s; 429s: ${realSink.tooManyRequests}`]);
  } finally {
    await cleanup();
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\n' + rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
