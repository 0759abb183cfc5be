import { sql } from 'drizzle-orm';
import { dispatchOutbox, scanRetargeting, type CrossSellReason, type RetargetingRule } from '../../core/campaigns/index.js';
import type { Logger } from '../../core/index.js';
import { defaultRankerWeights, RECOMMENDER_ARTIFACT_KIND, type AssociationRule, type RecommenderArtifact } from '../../core/recommend/index.js';
import { RECOMMENDER_FORMAT_VERSION, storeNeighbours } from '../../core/recommend/serving/recommender-model.js';
import { createRepositories, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { PgModelArtifactRepository } from '../../models/repositories/pg-model-artifact-repository.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TestClock } from '../support/http.js';
import { BotApiSink } from './campaigns-support/bot-api-sink.js';
import { SinkMessenger } from './campaigns-support/sink-messenger.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';

const HOUR = 3_600_000;

/** A logger that keeps what it was told, to check the fallback is announced. */
class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; msg: string | undefined; obj: object }> = [];
  debug = (obj: object, msg?: string) => void this.lines.push({ level: 'debug', msg, obj });
  info = (obj: object, msg?: string) => void this.lines.push({ level: 'info', msg, obj });
  warn = (obj: object, msg?: string) => void this.lines.push({ level: 'warn', msg, obj });
  error = (obj: object, msg?: string) => void this.lines.push({ level: 'error', msg, obj });
  child = () => this;
}

describe.each(testTargets())('cross-sell from the recommender association rules on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  let sink: BotApiSink;
  let sinkUrl: string;
  let crossSell: RetargetingRule;
  const clock = new TestClock(new Date('2026-11-25T06:00:00Z'));
  const logger = new RecordingLogger();
  const course: Record<'a' | 'b' | 'c' | 'd' | 'e' | 'unsold', { id: string; title_en: string }> = {} as never;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    for (const [key, status] of [['a', 'on_sale'], ['b', 'on_sale'], ['c', 'on_sale'], ['d', 'on_sale'], ['e', 'on_sale'], ['unsold', 'draft']] as const) {
      const [row] = await queryRows<{ id: string; title_en: string }>(
        database.db,
        sql`INSERT INTO courses (slug, title_zh, title_en, tags, price_minor, status, created_at)
            VALUES (${`xs-${key}`}, ${`课程${key}`}, ${`Course ${key.toUpperCase()}`}, ${`{xs-${key}}`}::text[], 9900, ${status}, now() - interval '60 days') RETURNING id, title_en`,
      );
      course[key] = row!;
    }
    repos = createCampaignRepositories(database.db);
    await database.db.execute(sql`UPDATE retargeting_rules SET is_enabled = (trigger = 'cross_sell')`);
    crossSell = (await repos.rules.listEnabled())[0]!;
    await repos.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '21:00', end: '09:00' } });
    sink = new BotApiSink();
    sinkUrl = await sink.start();
  });
  afterAll(async () => {
    await sink.stop();
    await database.close();
  });

  const paidOrder = async (followerId: string, courseId: string, hoursAgo: number) => {
    const at = new Date(clock.now().getTime() - hoursAgo * HOUR).toISOString();
    await database.db.execute(sql`WITH o AS (INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
      VALUES (${followerId}::uuid, ${courseId}::uuid, 9900, 'CNY', 'manual', 'paid', ${at}::timestamptz) RETURNING id)
      INSERT INTO entitlements (follower_id, course_id, order_id) SELECT ${followerId}::uuid, ${courseId}::uuid, id FROM o`);
  };
  const scan = () => scanRetargeting({ rules: repos.rules, outbox: repos.outbox, clock, logger }, { limitPerRule: 1000 });
  const offersTo = (followerId: string) =>
    queryRows<{ course_id: string; step: string; reason: CrossSellReason | null }>(database.db, sql`SELECT course_id, step, reason FROM outbox WHERE follower_id = ${followerId}::uuid ORDER BY id`);
  const dispatchAll = async () => {
    const deps = {
      outbox: repos.outbox, caps: repos.caps, guardSettings: repos.guardSettings, content: repos.content, courses: createRepositories(database.db).courses,
      messengers: new Map([['telegram' as const, new SinkMessenger(sinkUrl)]]), clock, logger: logger,
    };
    while ((await dispatchOutbox(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 })).claimed > 0);
  };
  /** The message text sent to a chat (the course card and opt-out line follow it). */
  const textTo = (chatId: string) => sink.messages.find((m) => m.chatId === chatId)?.text.split('\n')[0];

  // Runs first: the database has no recommender artifact yet.
  it('falls back to co-purchase counts of paid orders while no model is trained, and says so', async () => {
    const [early1, early2, buyer] = await seedFollowers(database.db, 3, { prefix: '62000', timeZone: 'Asia/Shanghai' });
    // Earlier buyers, outside the 48-hour rule's lookback: they make A and B a pair without being occasions.
    for (const f of [early1!, early2!]) {
      await paidOrder(f, course.a.id, 300);
      await paidOrder(f, course.b.id, 300);
    }
    await paidOrder(buyer!, course.a.id, 50);

    expect((await scan()).byRule['cross-sell']).toEqual({ matched: 1, enqueued: 1, heldOut: 0 });
    const [offer] = await offersTo(buyer!);
    expect(offer!.course_id).toBe(course.b.id);
    expect(offer!.step).toBe(`cross-sell:${course.a.id}`);
    // Three buyers of A, two of them also bought B; B's buyers are two of the three paying followers.
    expect(offer!.reason).toEqual({
      source: 'co_purchase',
      purchased: [{ courseId: course.a.id, titleZh: '课程a', titleEn: 'Course A' }],
      support: 2 / 3,
      confidence: 2 / 3,
      lift: 1,
    });
    expect(logger.lines.some((l) => l.msg?.startsWith('cross-sell: no recommender model with association rules yet') && (l.obj as { rule?: string }).rule === 'cross-sell')).toBe(true);

    // The seeded template (migration 0008) names the purchase behind the offer.
    await dispatchAll();
    expect(textTo('620003')).toBe('Learners who bought "Course A" also bought "Course B".');
  });

  it('offers the consequent of the best applicable association rule stored in the model artifact, with its numbers for the template', async () => {
    const rules: AssociationRule[] = [
      { antecedent: [course.a.id], consequent: course.b.id, support: 0.12, confidence: 0.6, lift: 2.5 },
      // Below the rule's default minimum confidence (0.2).
      { antecedent: [course.a.id], consequent: course.c.id, support: 0.03, confidence: 0.1, lift: 3 },
      // Applies only to followers who also own D.
      { antecedent: [course.a.id, course.d.id], consequent: course.e.id, support: 0.05, confidence: 0.9, lift: 4 },
      // The strongest, but the course is not on sale.
      { antecedent: [course.a.id], consequent: course.unsold.id, support: 0.2, confidence: 0.95, lift: 5 },
    ];
    const artifact = {
      formatVersion: RECOMMENDER_FORMAT_VERSION, trainedAt: clock.now().toISOString(), courseIds: [], generators: [], popularity: [], trending: [],
      candidates: { popular: [], segmentPopular: [], trending: [] },
      neighbours: storeNeighbours({ nItems: 0, offsets: new Int32Array(1), neighbours: new Int32Array(0), similarities: new Float32Array(0) }),
      ease: null, rp3beta: null, segmentModel: null, segmentPopularity: [], rules, ranker: defaultRankerWeights(), rankerChoice: null,
    } satisfies RecommenderArtifact;
    await new PgModelArtifactRepository(database.db).save({ kind: RECOMMENDER_ARTIFACT_KIND, metrics: { rules: rules.length }, data: artifact });
    await repos.rules.update(crossSell.id, {
      ...crossSell,
      variants: [{ key: 'A', weight: 1, text: { en: '{confidence} of the learners who bought "{purchased}" also bought "{course}" (lift {lift}).' } }],
    });

    const [plain, ownsB, ownsD, tooRecent] = await seedFollowers(database.db, 4, { prefix: '63000', timeZone: 'Asia/Shanghai' });
    await paidOrder(ownsB!, course.b.id, 300);
    await paidOrder(ownsD!, course.d.id, 300);
    for (const f of [plain!, ownsB!, ownsD!]) await paidOrder(f, course.a.id, 50);
    await paidOrder(tooRecent!, course.a.id, 10);

    const lines = logger.lines.length;
    expect((await scan()).byRule['cross-sell']).toEqual({ matched: 2, enqueued: 2, heldOut: 0 });
    expect(logger.lines.slice(lines).some((l) => l.msg?.startsWith('cross-sell: no recommender model'))).toBe(false);
    const [toPlain] = await offersTo(plain!);
    expect(toPlain).toEqual({
      course_id: course.b.id,
      step: `cross-sell:${course.a.id}`,
      reason: { source: 'association_rules', purchased: [{ courseId: course.a.id, titleZh: '课程a', titleEn: 'Course A' }], support: 0.12, confidence: 0.6, lift: 2.5 },
    });
    const [toOwnsD] = await offersTo(ownsD!);
    expect(toOwnsD!.course_id).toBe(course.e.id);
    expect(toOwnsD!.reason!.purchased.map((p) => p.courseId)).toEqual([course.a.id, course.d.id]);
    // B is owned and C's rule is too weak: no offer.
    expect(await offersTo(ownsB!)).toEqual([]);
    expect(await offersTo(tooRecent!)).toEqual([]);

    await dispatchAll();
    expect(textTo('630001')).toBe('60% of the learners who bought "Course A" also bought "Course B" (lift 2.5).');
    expect(textTo('630003')).toBe('90% of the learners who bought "Course A, Course D" also bought "Course E" (lift 4.0).');

    // Lowering the rule's minimum confidence lets the weaker rule through for the owner of B.
    const current = (await repos.rules.findById(crossSell.id))!;
    await repos.rules.update(crossSell.id, { ...current, params: { ...current.params, minConfidence: 0.05 } });
    await scan();
    expect((await offersTo(ownsB!)).map((o) => o.course_id)).toEqual([course.c.id]);
    expect((await scan()).enqueued).toBe(0);
  });
});
