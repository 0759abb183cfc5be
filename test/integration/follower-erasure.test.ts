import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import { attributeReferral, codeForFollower, confirmPayment, createPendingOrder, decideDistributor, erasedPseudonym, systemClock } from '../../core/index.js';
import { createRepositories, PgDialogMemoryStore, PgRecommenderExperiments, PgReplyQueue, PgRiskStore, PgSendLogRepository, PgUnitOfWork, queryRows, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { addAccount, createConsoleTestApp, logInAgent } from './console-support.js';

/** Every text-like column of every table in the schema, with how many rows mention `needle`. */
async function tablesMentioning(database: Database, needle: string): Promise<string[]> {
  const columns = await queryRows<{ table_name: string; column_name: string }>(
    database.db,
    sql`select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema = current_schema() and c.data_type in ('text', 'uuid', 'jsonb', 'json', 'character varying', 'ARRAY')`,
  );
  expect(columns.length).toBeGreaterThan(40);
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from ${sql.identifier(table)} where strpos(${sql.identifier(column)}::text, ${needle}) > 0`,
    );
    if (row!.n > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}

describe.each(testTargets())('erasing a follower (%s)', (target) => {
  let database: Database;
  let app: Express;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    app = createConsoleTestApp(database);
    await addAccount(database, 'admin', 'erasure-admin@example.com');
  });
  afterAll(() => database.close());

  it('leaves no table holding their id, chat id or platform id; keeps paid orders anonymised; exports sends and outbox first', async () => {
    const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const chatId = String(randomInt(1_000_000_000, 2_000_000_000));
    const courseId = (await request(app).post('/api/courses').set(auth).send({ slug: `erase-${randomUUID()}`, titleZh: '课', titleEn: 'Course', priceMinor: 19900, currency: 'CNY', status: 'on_sale' }).expect(201)).body.id as string;
    const identity = { kind: 'telegram', externalId: chatId, displayName: 'Erin' };
    const recorded = await request(app).post('/api/events').set(auth).send({ events: [
      { kind: 'follow', platform: 'telegram', externalId: `tg-follow-${chatId}`, identity },
      { kind: 'message', platform: 'telegram', externalId: `tg-msg-${chatId}`, identity, payload: { text: 'python 课程' } },
    ] }).expect(201);
    const followerId = recorded.body.results[0].followerId as string;

    // What the channels leave behind: sends (one logged before the follower was known), a queued
    // reply, marketing in the outbox, a paid and a pending order.
    const sends = new PgSendLogRepository(database.db);
    await sends.start({ platform: 'telegram', followerId, chatId, purpose: 'marketing', idempotencyKey: `c1:${followerId}`, replyCount: 1 });
    await sends.start({ platform: 'telegram', followerId: null, chatId, purpose: 'transactional', replyCount: 1 });
    await new PgReplyQueue(database.db).add([{ platform: 'telegram', followerId: null, chatId, purpose: 'transactional', replies: [{ type: 'text', text: '你好' }] }], 'test', new Date(Date.now() + 60_000));
    await database.db.execute(sql`insert into outbox (follower_id, source, campaign_id, step, course_id, not_before) values (${followerId}, 'broadcast', ${randomUUID()}, 'v1', ${courseId}, now())`);
    const deps = { uow: new PgUnitOfWork(database.db), clock: systemClock };
    const { order: paid } = await createPendingOrder(deps, { followerId, courseId, provider: 'manual' });
    await confirmPayment(deps, { orderId: paid.id, provider: 'manual', providerChargeId: `m-${paid.id}`, amountMinor: paid.amountMinor, currency: paid.currency });
    const other = (await request(app).post('/api/courses').set(auth).send({ slug: `erase2-${randomUUID()}`, titleZh: '课2', titleEn: 'Course 2', priceMinor: 9900, currency: 'CNY', status: 'on_sale' }).expect(201)).body.id as string;
    const { order: pending } = await createPendingOrder(deps, { followerId, courseId: other, provider: 'manual' });

    await new PgDialogMemoryStore(database.db).remember([{ followerId, memory: { lastList: [courseId, other], focusCourseId: courseId, pending: null, updatedAt: new Date() } }]);

    // A distributor of a creator, who referred a friend who paid: commission in their ledger.
    const creator = await addAccount(database, 'creator', `erasure-creator-${target}@example.com`);
    await database.db.execute(sql`update courses set creator_id = ${creator.id} where id = ${other}`);
    await decideDistributor(deps, { creatorId: creator.id, input: { followerId, commissionBps: 1000 }, actor: 'test' });
    const { follower: friend } = await createRepositories(database.db).followers.resolveIdentity({ kind: 'telegram', externalId: `friend-${randomUUID()}` });
    await createRepositories(database.db).referrals.addLinkKeys(followerId, [`device:erasure-${chatId}`], new Date());
    expect(await attributeReferral(deps, { followerId: friend.id, code: await codeForFollower(deps.uow.repos, followerId), channel: 'telegram' })).toEqual({ outcome: 'attributed', referrerId: followerId });
    const { order: referredOrder } = await createPendingOrder(deps, { followerId: friend.id, courseId: other, provider: 'manual' });
    await confirmPayment(deps, { orderId: referredOrder.id, provider: 'manual', providerChargeId: `m-${referredOrder.id}`, amountMinor: referredOrder.amountMinor, currency: referredOrder.currency });

    await new PgRiskStore(database.db).saveDecisions([{ followerId, status: 'flagged', score: 60, reasons: [{ code: 'event_burst', params: { count: 40, windowSeconds: 60 } }], actor: 'risk-scorer', at: new Date() }]);

    // A list the recommender showed them in an experiment.
    const experiments = new PgRecommenderExperiments(database.db);
    const experiment = await experiments.create({
      name: `Erasure ${target}`, attributionHours: 24, createdBy: null,
      variants: [{ key: 'A', label: '', sharePercent: 50, configuration: {} }, { key: 'B', label: '', sharePercent: 50, configuration: { mmrLambda: 1 } }],
    }, { actor: 'test', action: 'recommender_experiment.create' });
    await experiments.recordExposures([{ listId: randomUUID(), experimentId: experiment.id, variant: 'B', followerId, courseIds: [other, courseId], channel: 'telegram', exposedAt: new Date() }]);

    const admin = await logInAgent(app, 'erasure-admin@example.com');
    const exported = await admin.agent.get(`/api/followers/${followerId}/export`).expect(200);
    expect(exported.body.dialogMemory).toMatchObject({ last_list: [courseId, other], focus_course_id: courseId });
    expect(exported.body.lessonReminders).toEqual([]);
    expect(exported.body.risk.case).toMatchObject({ status: 'flagged', score: 60, reasons: [{ code: 'event_burst', params: { count: 40, windowSeconds: 60 } }] });
    expect(exported.body.risk.decisions).toMatchObject([{ decision: 'flagged', actor: 'risk-scorer' }]);
    expect(exported.body.sends).toHaveLength(2);
    expect(exported.body.outbox).toHaveLength(1);
    expect(exported.body.replyQueue).toHaveLength(1);
    expect(exported.body.referrals).toMatchObject({ code: expect.any(String), referredBy: null, referredCount: 1, distributorships: [{ creator_id: creator.id, commission_bps: 1000 }] });
    expect(exported.body.recommendationExposures).toEqual([expect.objectContaining({ experiment_name: `Erasure ${target}`, variant: 'B', course_ids: [other, courseId], channel: 'telegram' })]);
    expect(exported.body.referrals.commissions).toMatchObject([{ order_id: referredOrder.id, commission_minor: 990, status: 'pending' }]);
    expect(await tablesMentioning(database, chatId)).not.toEqual([]);

    await admin.agent.delete(`/api/followers/${followerId}`).set(admin.csrf).expect(204);

    expect(await tablesMentioning(database, followerId)).toEqual([]);
    expect(await tablesMentioning(database, chatId)).toEqual([]);
    const orders = await queryRows<{ id: string; follower_id: string | null; amount_minor: number; currency: string; course_id: string; status: string; has_paid_at: boolean }>(
      database.db,
      sql`select id, follower_id, amount_minor, currency, course_id, status, paid_at is not null as has_paid_at from orders where id in (${paid.id}, ${pending.id})`,
    );
    expect(orders).toEqual([{ id: paid.id, follower_id: null, amount_minor: 19900, currency: 'CNY', course_id: courseId, status: 'paid', has_paid_at: true }]);
    const audit = await queryRows<{ action: string }>(database.db, sql`select action from audit_log where subject_id = ${erasedPseudonym(followerId)} order by id`);
    expect(audit.map((a) => a.action)).toEqual(['distributor.approved', 'follower.export', 'follower.delete']);
    // The commission ledger is an accounting record too: kept, without the distributor.
    expect(await queryRows(database.db, sql`select distributor_follower_id, commission_minor from commission_entries where order_id = ${referredOrder.id}`)).toEqual([
      { distributor_follower_id: null, commission_minor: 990 },
    ]);
    // An anonymised order belongs to nobody: the order use cases no longer find it.
    expect(await createRepositories(database.db).orders.findById(paid.id)).toBeNull();
  });
});
