import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { Express } from 'express';
import { createLogger } from '../../../adapters/index.js';
import { buildRecommender } from '../../../bots/wire-recommender.js';
import { loadIntentModel } from '../../../core/understanding/index.js';
import { createRiskMount } from '../../../bots/wire-risk.js';
import {
  ACTIONS, confirmPayment, createPendingOrder, DEFAULT_RISK_SETTINGS, InboundConversation, refundOrder, reviewCheckout, recordEvents, recordEventsSeeingFollowers, RiskMonitor, systemClock,
  type DialogDeps, type Inbound, type RecordEventsDeps, type Recipient, type Reply, type ReplyOutbox, type SendResult,
} from '../../../core/index.js';
import { createRepositories, PgDialogMemoryStore, PgRiskStore, PgUnitOfWork, queryRows, seedDemoCatalogue, type Database } from '../../../models/index.js';
import { createCampaignRepositories, PgCampaignContent } from '../../../models/repositories/pg-campaign-repositories.js';
import { createBroadcast, dispatchOutbox, enqueueBroadcast } from '../../../core/campaigns/index.js';
import { BotApiSink } from '../campaigns-support/bot-api-sink.js';
import { SinkMessenger } from '../campaigns-support/sink-messenger.js';
import { seedFollowers } from '../campaigns-support/seed-followers.js';
import { addAccount, createConsoleTestApp, logInAgent } from '../console-support.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TEST_ADMIN_TOKEN } from '../../support/http.js';

const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** The chat platform's delivery, which cannot run here: what was queued for whom, after a real await. */
class QueuedReplies implements ReplyOutbox {
  readonly queued: Array<{ to: Recipient; replies: readonly Reply[] }> = [];
  async enqueue(to: Recipient, replies: readonly Reply[]): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.queued.push({ to, replies });
  }
  async send(to: Recipient, replies: readonly Reply[]): Promise<SendResult> {
    await this.enqueue(to, replies);
    return { status: 'sent', providerMessageIds: [] };
  }
}

const textsOf = (outbox: QueuedReplies) => outbox.queued.flatMap((q) => q.replies.map((r) => ('text' in r ? r.text : r.type)));

describe.each(testTargets())('risk control on %s', (target) => {
  let database: Database;
  let monitor: RiskMonitor;
  let deps: RecordEventsDeps;
  let app: Express;
  let courseIds: string[];
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    courseIds = (await createRepositories(database.db).courses.list({ page: 1, pageSize: 5, status: 'on_sale' })).items.map((c) => c.id);
    monitor = new RiskMonitor({ clock: systemClock, logger, store: new PgRiskStore(database.db) });
    deps = { uow: new PgUnitOfWork(database.db), clock: systemClock, metrics: { eventsRecorded: () => undefined }, risk: monitor };
    app = createConsoleTestApp(database, { mounts: [createRiskMount({ db: database.db, clock: systemClock, monitor })] });
  });
  afterAll(() => database.close());

  /** A follower flooding likes through the event path until the scorer flags them. */
  async function flood(): Promise<string> {
    const id = `flood-${target}-${++counter}`;
    const events = Array.from({ length: 40 }, (_, i) => ({ kind: 'like', platform: 'telegram', externalId: `${id}-${i}`, identity: { kind: 'telegram', externalId: id }, occurredAt: new Date(Date.now() - 60_000 + i * 1000) }));
    const [first] = await recordEvents(deps, events);
    await monitor.flush();
    return (first as { followerId: string }).followerId;
  }

  it('scores events in the event path and stores the decision with its reasons, in the background', async () => {
    const followerId = await flood();
    expect(monitor.statusOf(followerId)).toBe('flagged');
    const res = await request(app).get('/api/risk/cases?status=flagged').set(admin).expect(200);
    const found = res.body.items.find((c: { followerId: string }) => c.followerId === followerId);
    expect(found).toMatchObject({ status: 'flagged', score: 60, reasons: [{ code: 'event_burst', params: { count: 40, windowSeconds: 60 } }], heldOrders: 0 });
    const decisions = await queryRows<{ actor: string; decision: string }>(database.db, sql`SELECT actor, decision FROM risk_decisions WHERE follower_id = ${followerId}::uuid`);
    expect(decisions).toEqual([{ actor: 'risk-scorer', decision: 'flagged' }]);
  });

  it('flags pay-then-refund, again: refunds are reported to the scorer by the refund use case', async () => {
    const [first] = await recordEvents(deps, [{ kind: 'follow', platform: 'wechat', externalId: `refunder-${target}`, identity: { kind: 'wechat', externalId: `refunder-${target}` } }]);
    const followerId = (first as { followerId: string }).followerId;
    for (const courseId of courseIds.slice(0, 2)) {
      const { order } = await createPendingOrder({ uow: deps.uow, clock: systemClock }, { followerId, courseId, provider: 'manual' });
      await confirmPayment({ uow: deps.uow, clock: systemClock }, { orderId: order.id, provider: 'manual', providerChargeId: `charge-${order.id}`, amountMinor: order.amountMinor, currency: order.currency });
      await refundOrder({ uow: deps.uow, clock: systemClock, gateways: new Map(), risk: monitor }, { orderId: order.id, actor: 'test', reason: 'changed my mind' });
    }
    expect(monitor.assess(followerId).reasons).toEqual([{ code: 'pay_refund_cycles', params: { refunds: 2, windowDays: 30 } }]);
    expect(monitor.statusOf(followerId)).toBe('flagged');
  });

  it('leaves followers under review out of a broadcast audience, counted by reason', async () => {
    const ids = await seedFollowers(database.db, 3, { prefix: `${7_100_000 + ++counter * 10}`, timeZone: 'Asia/Shanghai' });
    const segment = { platforms: ['telegram'] };
    const before = await request(app).post('/api/segments/preview').set(admin).send({ segment }).expect(200);
    await new PgRiskStore(database.db).saveDecisions([{ followerId: ids[0]!, status: 'flagged', score: 60, reasons: [{ code: 'event_burst', params: { count: 50, windowSeconds: 60 } }], actor: 'test', at: new Date() }]);
    const after = await request(app).post('/api/segments/preview').set(admin).send({ segment }).expect(200);
    expect(after.body.size).toBe(before.body.size - 1);
    expect(after.body.excluded.risk_review).toBe(before.body.excluded.risk_review + 1);
    expect(after.body.sample.map((m: { followerId: string }) => m.followerId)).not.toContain(ids[0]);
  });

  it('skips marketing queued before the follower was flagged, with its reason, and sends it once they are cleared', async () => {
    const sink = new BotApiSink();
    const sinkUrl = await sink.start();
    try {
      const prefix = `${7_150_000 + ++counter * 10}`;
      const [flagged, honest] = await seedFollowers(database.db, 2, { prefix, timeZone: 'UTC' });
      const campaigns = createCampaignRepositories(database.db);
      // No quiet hours in the way, whatever time the test runs.
      await campaigns.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '00:00', end: '00:00' } });
      const courses = createRepositories(database.db).courses;
      const dispatchDeps = {
        outbox: campaigns.outbox, caps: campaigns.caps, guardSettings: campaigns.guardSettings, content: campaigns.content, courses,
        messengers: new Map([['telegram' as const, new SinkMessenger(sinkUrl)]]), clock: systemClock, logger,
      };
      // The audience: the owners of a course of this test's own.
      const [course] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, tags)
        VALUES (${`risk-${prefix}`}, '风控测试课', 'Risk test course', 9900, '{test}') RETURNING id`);
      const entitle = (followerId: string) => database.db.execute(sql`INSERT INTO entitlements (follower_id, course_id) VALUES (${followerId}::uuid, ${course!.id}::uuid)`);
      const broadcastTo = async (name: string) => {
        const campaign = await createBroadcast({ campaigns: campaigns.campaigns, courses: courses as never, clock: systemClock }, {
          name, variants: [{ key: 'A', text: { en: 'New course', 'zh-CN': '新课上线' } }], segment: { ownsCourseId: course!.id },
        }, { id: null, role: 'admin', actor: 'test' });
        await enqueueBroadcast({ campaigns: campaigns.campaigns, audience: campaigns.audience, outbox: campaigns.outbox, clock: systemClock }, campaign.id);
        return campaign.id;
      };
      const dispatchAll = async () => {
        while ((await dispatchOutbox(dispatchDeps, { batchSize: 50, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 })).claimed > 0);
      };
      // Queued while both were clean; the scorer flags one before the dispatcher gets to it.
      await entitle(flagged!);
      await entitle(honest!);
      const queued = await broadcastTo(`risk-queued-${prefix}`);
      await new PgRiskStore(database.db).saveDecisions([{ followerId: flagged!, status: 'flagged', score: 60, reasons: [{ code: 'event_burst', params: { count: 50, windowSeconds: 60 } }], actor: 'test', at: new Date() }]);
      await dispatchAll();
      const progress = await campaigns.campaigns.progress(queued);
      expect(progress).toMatchObject({ sent: 1, skipped: { total: 1, risk_review: 1 } });
      expect(sink.messages.map((m) => m.chatId)).toEqual([`${prefix}2`]);

      await request(app).post(`/api/risk/cases/${flagged}/clear`).set(admin).expect(200);
      const later = await broadcastTo(`risk-cleared-${prefix}`);
      await dispatchAll();
      expect((await campaigns.campaigns.progress(later)).sent).toBe(2);
      expect(sink.messages.map((m) => m.chatId).sort()).toEqual([`${prefix}1`, `${prefix}2`, `${prefix}2`]);
    } finally {
      await sink.stop();
    }
  });

  it('leaves followers under review out of experiment results and the bandit statistics', async () => {
    const [honest, fraud] = await seedFollowers(database.db, 2, { prefix: `${7_200_000 + ++counter * 10}` });
    const [campaign] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO campaigns (name, variants) VALUES ('risk-ab', '[{"key":"A","weight":1,"text":{"en":"hi"}}]') RETURNING id`);
    const sentAt = new Date(Date.now() - 3_600_000);
    for (const followerId of [honest!, fraud!]) {
      await database.db.execute(sql`INSERT INTO outbox (follower_id, source, campaign_id, step, variant, status, not_before, sent_at)
        VALUES (${followerId}::uuid, 'broadcast', ${campaign!.id}::uuid, 'broadcast', 'A', 'sent', ${sentAt.toISOString()}::timestamptz, ${sentAt.toISOString()}::timestamptz)`);
      await recordEvents({ ...deps, risk: undefined }, [{ kind: 'click', platform: 'telegram', externalId: `conv-${followerId}`, followerId, courseId: courseIds[0], occurredAt: new Date() }]);
    }
    const content = new PgCampaignContent(database.db);
    expect(await content.variantStats('broadcast', campaign!.id)).toEqual([{ variant: 'A', sent: 2, conversions: 2 }]);
    await new PgRiskStore(database.db).saveDecisions([{ followerId: fraud!, status: 'flagged', score: 60, reasons: [], actor: 'test', at: new Date() }]);
    expect(await content.variantStats('broadcast', campaign!.id)).toEqual([{ variant: 'A', sent: 1, conversions: 1 }]);
  });

  it('lets only admins review; confirm blocks and cancels held orders, clear releases them; both audited', async () => {
    await addAccount(database, 'creator', `creator-${target}@risk.test`);
    const creator = await logInAgent(app, `creator-${target}@risk.test`);
    await creator.agent.get('/api/risk/cases').expect(403);
    await creator.agent.put('/api/risk/settings').set(creator.csrf).send({}).expect(403);

    const fraud = await flood();
    const { order } = await createPendingOrder({ uow: deps.uow, clock: systemClock }, { followerId: fraud, courseId: courseIds[1]!, provider: 'manual' });
    await monitor.holdCheckout(order.id, fraud);
    expect((await request(app).get('/api/risk/cases').set(admin).expect(200)).body.items.find((c: { followerId: string }) => c.followerId === fraud).heldOrders).toBe(1);
    const confirmed = await request(app).post(`/api/risk/cases/${fraud}/confirm`).set(admin).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'blocked', heldOrders: 0, reviewedBy: 'admin-api-token' });
    expect(monitor.isBlocked(fraud)).toBe(true);
    const [cancelled] = await queryRows<{ status: string }>(database.db, sql`SELECT status FROM orders WHERE id = ${order.id}::uuid`);
    expect(cancelled!.status).toBe('cancelled');

    const innocent = await flood();
    const { order: held } = await createPendingOrder({ uow: deps.uow, clock: systemClock }, { followerId: innocent, courseId: courseIds[1]!, provider: 'manual' });
    await monitor.holdCheckout(held.id, innocent);
    await request(app).post(`/api/risk/cases/${innocent}/clear`).set(admin).expect(200);
    expect(monitor.isUnderReview(innocent)).toBe(false);
    const [released] = await queryRows<{ outcome: string; status: string }>(database.db, sql`SELECT h.outcome, o.status FROM risk_order_holds h JOIN orders o ON o.id = h.order_id WHERE h.order_id = ${held.id}::uuid`);
    expect(released).toEqual({ outcome: 'released', status: 'pending' });

    const audit = await queryRows<{ action: string; subject_id: string; actor: string }>(database.db, sql`SELECT action, subject_id, actor FROM audit_log WHERE action LIKE 'risk.%' ORDER BY id`);
    expect(audit).toEqual(expect.arrayContaining([
      { action: 'risk.confirm', subject_id: fraud, actor: 'admin-api-token' },
      { action: 'risk.clear', subject_id: innocent, actor: 'admin-api-token' },
    ]));
    await request(app).post(`/api/risk/cases/00000000-0000-4000-8000-000000000000/clear`).set(admin).expect(404);
    await request(app).post(`/api/risk/cases/not-a-uuid/clear`).set(admin).expect(400);
  });

  it('stores thresholds (audited), refuses bad ones, and the scorer uses them at once', async () => {
    const { body } = await request(app).get('/api/risk/settings').set(admin).expect(200);
    const next = { ...body.settings, flagScore: 70, eventBurst: { ...body.settings.eventBurst, count: 25 } };
    await request(app).put('/api/risk/settings').set(admin).send(next).expect(200);
    expect(monitor.currentSettings.flagScore).toBe(70);
    expect((await request(app).get('/api/risk/settings').set(admin).expect(200)).body.settings.eventBurst.count).toBe(25);
    const bad = await request(app).put('/api/risk/settings').set(admin).send({ ...next, flagScore: 0 }).expect(400);
    expect(bad.body.error.message).toContain('flagScore');
    const [entry] = await queryRows<{ details: { to: { flagScore: number } } }>(database.db, sql`SELECT details FROM audit_log WHERE action = 'settings.risk' ORDER BY id DESC LIMIT 1`);
    expect(entry!.details.to.flagScore).toBe(70);
    await request(app).put('/api/risk/settings').set(admin).send(body.settings).expect(200);
  });

  describe('in chat', () => {
    let conversation: InboundConversation;
    let outbox: QueuedReplies;

    beforeAll(() => {
      const repos = createRepositories(database.db);
      const { recommender } = buildRecommender({ db: database.db, repos, clock: systemClock, logger });
      const dialog: DialogDeps = {
        repos, uow: deps.uow, clock: systemClock, recordEventsDeps: deps, recommender, memory: new PgDialogMemoryStore(database.db), checkoutProvider: 'telegram_stars',
        intentModel: loadIntentModel(),
      };
      outbox = new QueuedReplies();
      conversation = new InboundConversation({ dialog, events: { recordSeeingFollowers: (inputs) => recordEventsSeeingFollowers(deps, inputs) }, outbox, logger });
    });

    const turn = (chatId: string, n: number, content: { text: string } | { action: string }): Inbound => ({
      kind: 'turn',
      identity: { kind: 'telegram', externalId: chatId, locale: 'en' },
      chat: { id: chatId, kind: 'private' },
      events: [{ kind: 'message', platform: 'telegram', externalId: `${chatId}:${n}`, identity: { kind: 'telegram', externalId: chatId }, payload: 'text' in content ? { text: content.text } : {} }],
      turn: { platform: 'telegram', messageId: `${chatId}:${n}`, chatKind: 'private', locale: 'en', ...content },
    });

    it('answers a fast writer up to the limit, then one polite notice, then silence', async () => {
      const chatId = `throttle-${target}`;
      // An hour's window: how long the turns take on a loaded machine cannot move them out of it.
      monitor.useSettings({ ...monitor.currentSettings, chatThrottle: { messages: 8, windowSeconds: 3600 } });
      const { messages } = monitor.currentSettings.chatThrottle;
      for (let n = 0; n < messages + 3; n++) await conversation.answer(turn(chatId, n, { text: `help ${n}` }));
      const texts = outbox.queued.filter((q) => q.to.chatId === chatId).flatMap((q) => q.replies.map((r) => ('text' in r ? r.text : r.type)));
      const notices = texts.filter((t) => t.startsWith('You are sending messages a little fast'));
      expect(notices).toHaveLength(1);
      expect(texts.at(-1)).toBe(notices[0]);
      expect(outbox.queued.filter((q) => q.to.chatId === chatId)).toHaveLength(messages + 1);
      monitor.useSettings(DEFAULT_RISK_SETTINGS);
    });

    it('holds the checkout of a follower under review: no invoice, the order kept for review', async () => {
      const chatId = `held-${target}`;
      await conversation.answer(turn(chatId, 1, { text: 'hello' }));
      const followerId = outbox.queued.find((q) => q.to.chatId === chatId)!.to.followerId;
      await new PgRiskStore(database.db).saveDecisions([{ followerId, status: 'flagged', score: 60, reasons: [], actor: 'test', at: new Date() }]);
      await monitor.refresh();
      outbox.queued.length = 0;
      await conversation.answer(turn(chatId, 2, { action: ACTIONS.confirmBuy(courseIds[2]!) }));
      const replies = outbox.queued.flatMap((q) => q.replies);
      expect(replies.some((r) => r.type === 'invoice')).toBe(false);
      expect(textsOf(outbox)[0]).toBe('Your order is being reviewed. We will let you know once it is approved; sorry for the wait.');
      const holds = await queryRows<{ status: string }>(database.db, sql`SELECT o.status FROM risk_order_holds h JOIN orders o ON o.id = h.order_id WHERE h.follower_id = ${followerId}::uuid`);
      expect(holds).toEqual([{ status: 'pending' }]);
    });

    it("refuses Telegram's pre-checkout for a follower flagged after the invoice went out, and holds the order", async () => {
      const chatId = `precheckout-${target}`;
      await conversation.answer(turn(chatId, 1, { text: 'hello' }));
      const followerId = outbox.queued.find((q) => q.to.chatId === chatId)!.to.followerId;
      const repos = createRepositories(database.db);
      const course = (await repos.courses.findById(courseIds[3]!))!;
      const { order } = await createPendingOrder({ uow: deps.uow, clock: systemClock }, { followerId, courseId: course.id, provider: 'telegram_stars' });
      const query = { payerExternalId: chatId, orderId: order.id, courseId: course.id, currency: 'XTR', totalAmount: order.amountMinor, locale: 'zh-CN' as const };
      expect(await reviewCheckout(repos, query, monitor)).toEqual({ ok: true });
      monitor.applyReview(followerId, 'flagged', []);
      expect(await reviewCheckout(repos, query, monitor)).toEqual({ ok: false, message: '你的订单正在审核中，审核通过后我们会通知你。给你带来不便，敬请谅解。' });
      const holds = await queryRows<{ order_id: string }>(database.db, sql`SELECT order_id FROM risk_order_holds WHERE follower_id = ${followerId}::uuid`);
      expect(holds).toEqual([{ order_id: order.id }]);
    });

    it('never answers a blocked follower', async () => {
      const chatId = `blocked-${target}`;
      await conversation.answer(turn(chatId, 1, { text: 'hello' }));
      const followerId = outbox.queued.find((q) => q.to.chatId === chatId)!.to.followerId;
      monitor.applyReview(followerId, 'blocked', []);
      outbox.queued.length = 0;
      await conversation.answer(turn(chatId, 2, { text: 'any python courses?' }));
      expect(outbox.queued).toEqual([]);
    });
  });
});
