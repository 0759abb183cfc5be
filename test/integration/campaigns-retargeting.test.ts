import { sql } from 'drizzle-orm';
import { dispatchOutbox, scanRetargeting } from '../../core/campaigns/index.js';
import { createLogger } from '../../adapters/index.js';
import { createRepositories, queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TestClock } from '../support/http.js';
import { BotApiSink } from './campaigns-support/bot-api-sink.js';
import { SinkMessenger } from './campaigns-support/sink-messenger.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';

const HOUR = 3_600_000;

describe.each(testTargets())('retargeting rules on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  let sink: BotApiSink;
  let sinkUrl: string;
  const clock = new TestClock(new Date('2026-11-25T06:00:00Z'));
  const logger = createLogger('silent');
  let courses: Array<{ id: string; slug: string; tags: string[]; title_en: string }>;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    // The demo catalogue is old news: only the course added below counts as new.
    await database.db.execute(sql`UPDATE courses SET created_at = now() - interval '60 days', status = 'on_sale'`);
    courses = await queryRows(database.db, sql`SELECT id, slug, tags, title_en FROM courses ORDER BY slug`);
    repos = createCampaignRepositories(database.db);
    await repos.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '21:00', end: '09:00' } });
    sink = new BotApiSink();
    sinkUrl = await sink.start();
  });
  afterAll(async () => {
    await sink.stop();
    await database.close();
  });

  const event = async (followerId: string, kind: string, courseId: string, hoursAgo: number) => {
    await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at)
      VALUES (${followerId}::uuid, ${kind}, 'api', ${`${kind}-${followerId}-${courseId}-${hoursAgo}`}, ${courseId}::uuid, ${new Date(clock.now().getTime() - hoursAgo * HOUR).toISOString()}::timestamptz)`);
  };
  const paidOrder = async (followerId: string, courseId: string, hoursAgo: number) => {
    const at = new Date(clock.now().getTime() - hoursAgo * HOUR).toISOString();
    await database.db.execute(sql`WITH o AS (INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
      VALUES (${followerId}::uuid, ${courseId}::uuid, 9900, 'CNY', 'manual', 'paid', ${at}::timestamptz) RETURNING id)
      INSERT INTO entitlements (follower_id, course_id, order_id) SELECT ${followerId}::uuid, ${courseId}::uuid, id FROM o`);
  };
  const scan = () => scanRetargeting({ rules: repos.rules, outbox: repos.outbox, clock, logger }, { limitPerRule: 1000 });
  const stepsOf = async (followerId: string) =>
    (await queryRows<{ step: string }>(database.db, sql`SELECT step FROM outbox WHERE follower_id = ${followerId}::uuid ORDER BY step`)).map((r) => r.step);

  it('finds each trigger, enqueues each occasion once, respects max per follower and ownership, and sends with the course', async () => {
    const [x, y, z] = [courses[0]!, courses[1]!, courses[2]!];
    const [viewer, buyerAfterView, recentViewer, abandoner, dormant, crossA, crossB, crossC, interested, noConsent] = await seedFollowers(database.db, 10, { prefix: '61000', timeZone: 'Asia/Shanghai' });
    await database.db.execute(sql`UPDATE followers SET has_marketing_consent = false WHERE id = ${noConsent!}::uuid`);
    await database.db.execute(sql`UPDATE followers SET last_seen_at = ${clock.now().toISOString()}::timestamptz WHERE id <> ${dormant!}::uuid`);
    await database.db.execute(sql`UPDATE followers SET last_seen_at = now() - interval '45 days', created_at = now() - interval '90 days' WHERE id = ${dormant!}::uuid`);

    await event(viewer!, 'view', x.id, 30);
    await event(noConsent!, 'view', x.id, 30);
    await event(buyerAfterView!, 'view', x.id, 30);
    await event(buyerAfterView!, 'purchase', x.id, 29);
    await event(recentViewer!, 'view', x.id, 2);
    await event(abandoner!, 'checkout', y.id, 3);
    for (const f of [crossA!, crossB!]) {
      await paidOrder(f, x.id, 300);
      await paidOrder(f, z.id, 300);
    }
    await paidOrder(crossC!, x.id, 50);
    const [fresh] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, tags, price_minor, status, created_at)
      VALUES ('fresh-course', '新课', 'Fresh course', ${`{${y.tags[0]}}`}::text[], 19900, 'on_sale', now() - interval '1 day') RETURNING id`);
    // Long enough ago to be out of viewed-not-bought's 7-day lookback, recent enough to count as an interest.
    await event(interested!, 'view', y.id, 200);

    const first = await scan();
    expect(first.byRule['viewed-not-bought']).toEqual({ matched: 1, enqueued: 1, heldOut: 0 });
    expect(await stepsOf(viewer!)).toEqual([`viewed:${x.id}`]);
    expect(await stepsOf(buyerAfterView!)).toEqual([]);
    expect(await stepsOf(recentViewer!)).toEqual([]);
    expect(await stepsOf(noConsent!)).toEqual([]);
    expect(await stepsOf(abandoner!)).toEqual(expect.arrayContaining([`checkout:${y.id}`]));
    expect((await stepsOf(dormant!)).some((s) => s.startsWith('dormant:'))).toBe(true);
    expect(await stepsOf(crossC!)).toEqual([`cross-sell:${x.id}`]);
    const [cross] = await queryRows<{ course_id: string }>(database.db, sql`SELECT course_id FROM outbox WHERE follower_id = ${crossC!}::uuid`);
    expect(cross!.course_id).toBe(z.id);
    expect(await stepsOf(interested!)).toEqual([`new-course:${fresh!.id}`]);

    expect((await scan()).enqueued).toBe(0);

    // A second viewed course is a new occasion; a third exceeds the rule's maximum of 2 per follower.
    await event(viewer!, 'view', y.id, 30);
    await scan();
    await event(viewer!, 'view', z.id, 30);
    await scan();
    expect((await stepsOf(viewer!)).filter((step) => step.startsWith('viewed:'))).toEqual([`viewed:${x.id}`, `viewed:${y.id}`].sort());

    // 06:00Z is 14:00 in Shanghai: no quiet hours; send and check the message names the course.
    const deps = {
      outbox: repos.outbox, caps: repos.caps, guardSettings: repos.guardSettings, content: repos.content, courses: createRepositories(database.db).courses,
      messengers: new Map([['telegram' as const, new SinkMessenger(sinkUrl)]]), clock, logger,
    };
    while ((await dispatchOutbox(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 })).claimed > 0);
    const toViewer = sink.messages.filter((m) => m.chatId === '610001');
    expect(toViewer.length).toBeGreaterThanOrEqual(2);
    // The rule is a bandit over two templates; whichever it picked names the course and carries the opt-out line.
    const aboutX = toViewer.filter((m) => m.text.includes(`"${x.title_en}"`) && m.text.endsWith('Reply /stop to unsubscribe'));
    expect(aboutX).toHaveLength(1);
    expect(aboutX[0]!.text).toMatch(/^(Still thinking about|Learners in) "/);
    const [sentRow] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`);
    expect(sentRow!.n).toBeGreaterThanOrEqual(7);
  });
});
