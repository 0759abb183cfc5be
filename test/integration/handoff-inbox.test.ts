import type { Express } from 'express';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { createLogger } from '../../adapters/index.js';
import { createBroadcast, dispatchOutbox, enqueueBroadcast } from '../../core/campaigns/index.js';
import { dialogText, type Account, type Principal } from '../../core/index.js';
import { createRepositories, PgHandoffRepository, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TestClock } from '../support/http.js';
import { BotApiSink } from './campaigns-support/bot-api-sink.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';
import { SinkMessenger } from './campaigns-support/sink-messenger.js';
import { addAccount, createConsoleTestApp, logInAgent } from './console-support.js';

const ADMIN: Principal = { id: null, role: 'admin', actor: 'test' };
type Agent = Awaited<ReturnType<typeof logInAgent>>;

/**
 * The console inbox on the real app (supertest) over a real database: access by creator, the
 * waiting order, threads, idempotent replies through the platform's messenger (a Telegram-style Bot
 * API over HTTP), closing, and marketing skipped while a person handles the follower.
 */
describe.each(testTargets())('hand-off inbox on %s', (target) => {
  let database: Database;
  let app: Express;
  let sink: BotApiSink;
  let sinkUrl: string;
  let desk: PgHandoffRepository;
  let clock: TestClock;
  let alice: Account;
  let asAlice: Agent;
  let asBob: Agent;
  let asAdmin: Agent;
  let aliceCourse: string;
  let prefixCounter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    sink = new BotApiSink();
    sinkUrl = await sink.start();
    clock = new TestClock(new Date('2026-12-01T04:00:00Z'));
    app = createConsoleTestApp(database, { clock, messengers: new Map([['telegram', new SinkMessenger(sinkUrl)]]) });
    desk = new PgHandoffRepository(database.db);
    await addAccount(database, 'admin', 'admin@handoff.test');
    alice = await addAccount(database, 'creator', 'alice@handoff.test');
    await addAccount(database, 'creator', 'bob@handoff.test');
    [asAlice, asBob, asAdmin] = await Promise.all([logInAgent(app, 'alice@handoff.test'), logInAgent(app, 'bob@handoff.test'), logInAgent(app, 'admin@handoff.test')]);
    const [course] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, creator_id, tags)
      VALUES ('handoff-photo', '手机摄影', 'Phone photography', 9900, ${alice.id}::uuid, '{photography}') RETURNING id`);
    aliceCourse = course!.id;
  });
  afterAll(async () => {
    await sink.stop();
    await database.close();
  });

  const prefix = () => `${8_100_000 + ++prefixCounter * 100}`;
  /** A Telegram follower who wrote these texts (message events a minute apart, ending now). */
  async function followerWho(chatPrefix: string, texts: string[]): Promise<string> {
    const [id] = await seedFollowers(database.db, 1, { prefix: chatPrefix, locale: 'zh-CN', timeZone: 'UTC' });
    const now = clock.now().getTime();
    for (const [i, text] of texts.entries()) {
      const at = new Date(now - (texts.length - i) * 60_000).toISOString();
      await database.db.execute(sql`INSERT INTO events (kind, platform, external_id, follower_id, payload, occurred_at)
        VALUES ('message', 'telegram', ${`${chatPrefix}:m${i}`}, ${id!}::uuid, ${JSON.stringify({ text })}::jsonb, ${at}::timestamptz)`);
    }
    return id!;
  }
  const received = (chatId: string) => sink.messages.filter((m) => m.chatId === chatId).map((m) => m.text);
  const auditActions = async (handoffId: string) =>
    (await queryRows<{ action: string }>(database.db, sql`SELECT action FROM audit_log WHERE subject_type = 'handoff' AND subject_id = ${handoffId} ORDER BY id`)).map((r) => r.action);

  it('opens one hand-off per follower, in the inbox of the creator whose course it is about, with the follower marked', async () => {
    const p = prefix();
    const follower = await followerWho(p, ['这门课怎么退款', '转人工']);
    const first = await desk.open({ followerId: follower, platform: 'telegram', chatId: `${p}1`, reason: 'refund', courseId: aliceCourse, at: clock.now() });
    const again = await desk.open({ followerId: follower, platform: 'telegram', chatId: `${p}1`, reason: 'asked', at: clock.now() });
    expect(first.isNew).toBe(true);
    expect(again).toMatchObject({ isNew: false, handoff: { id: first.handoff.id, reason: 'refund', creatorId: alice.id, courseId: aliceCourse, status: 'open' } });
    const followers = createRepositories(database.db).followers;
    expect((await followers.findById(follower))!.inHandoffSince).toEqual(clock.now());

    const mine = await asAlice.agent.get('/api/inbox').expect(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(first.handoff.id);
    const theirs = await asBob.agent.get('/api/inbox').expect(200);
    expect(theirs.body.items).toEqual([]);
    await asBob.agent.get(`/api/inbox/${first.handoff.id}`).expect(404);
    await asBob.agent.post(`/api/inbox/${first.handoff.id}/replies`).set(asBob.csrf).send({ text: 'hi', clientKey: 'bob-key-0001' }).expect(404);
    await asBob.agent.post(`/api/inbox/${first.handoff.id}/close`).set(asBob.csrf).expect(404);
  });

  it('lists waiting hand-offs first, the longest wait first, with the waiting time; an unscoped one only for admins', async () => {
    const p = prefix();
    const older = await followerWho(`${p}1`, ['人工']);
    const newer = await followerWho(`${p}2`, ['你们说的我听不懂']);
    const start = clock.now();
    const a = await desk.open({ followerId: older, platform: 'telegram', chatId: `${p}11`, reason: 'asked', at: start });
    clock.advance(5 * 60_000);
    const b = await desk.open({ followerId: newer, platform: 'telegram', chatId: `${p}21`, reason: 'not_understood', at: clock.now() });
    clock.advance(60_000);

    const list = await asAdmin.agent.get('/api/inbox?pageSize=100').expect(200);
    const rows = list.body.items as Array<{ id: string; waitingSeconds: number | null; creatorId: string | null; followerName: string | null }>;
    const ids = rows.map((r) => r.id);
    expect(ids.indexOf(a.handoff.id)).toBeLessThan(ids.indexOf(b.handoff.id));
    expect(rows.find((r) => r.id === a.handoff.id)).toMatchObject({ waitingSeconds: 360, creatorId: null });
    expect(rows.find((r) => r.id === b.handoff.id)).toMatchObject({ waitingSeconds: 60 });
    // No course and no purchase: the admins' alone.
    expect((await asAlice.agent.get('/api/inbox').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(a.handoff.id);
    await asAdmin.agent.get('/api/inbox?status=pending').expect(400);
  });

  it('shows the thread, sends a reply once per client key through the bot, audits it, and answers the hand-off', async () => {
    const p = prefix();
    const follower = await followerWho(p, ['有没有摄影课', '我要找人工客服']);
    await database.db.execute(sql`INSERT INTO events (kind, platform, external_id, follower_id, course_id, occurred_at) VALUES ('view', 'telegram', ${`${p}:v`}, ${follower}::uuid, ${aliceCourse}::uuid, ${clock.now().toISOString()}::timestamptz)`);
    const { handoff } = await desk.open({ followerId: follower, platform: 'telegram', chatId: `${p}1`, reason: 'asked', courseId: aliceCourse, at: clock.now() });

    const thread = await asAlice.agent.get(`/api/inbox/${handoff.id}`).expect(200);
    expect(thread.body.handoff).toMatchObject({ id: handoff.id, status: 'open', reason: 'asked', courseTitle: { zh: '手机摄影', en: 'Phone photography' } });
    expect(thread.body.follower).toMatchObject({ id: follower, locale: 'zh-CN', lifecycle: expect.any(String) });
    expect(thread.body.follower.interests[0]).toMatchObject({ tag: 'photography', zh: '摄影', en: 'Photography' });
    expect(thread.body.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toEqual([['follower', '有没有摄影课'], ['follower', '我要找人工客服']]);

    const body = { text: '你好，我是课程老师，请问想了解哪方面？', clientKey: `reply-${p}-1` };
    const sent = await asAlice.agent.post(`/api/inbox/${handoff.id}/replies`).set(asAlice.csrf).send(body).expect(201);
    expect(sent.body.message).toMatchObject({ status: 'sent', author: `account:${alice.id}`, text: body.text });
    const retried = await asAlice.agent.post(`/api/inbox/${handoff.id}/replies`).set(asAlice.csrf).send(body).expect(200);
    expect(retried.body.message.id).toBe(sent.body.message.id);
    expect(received(`${p}1`)).toEqual([body.text]);
    expect(await auditActions(handoff.id)).toEqual(['handoff.replied']);

    const after = await asAlice.agent.get(`/api/inbox/${handoff.id}`).expect(200);
    expect(after.body.handoff).toMatchObject({ status: 'answered', waitingSeconds: null, firstResponseAt: expect.any(String) });
    expect(after.body.messages.at(-1)).toMatchObject({ from: 'staff', text: body.text, status: 'sent' });
    // A follower message after the reply: waiting again (the chat path notes it), and the notice is due once.
    expect(await desk.noteFollowerMessage(follower, clock.now())).toEqual({ handoffId: handoff.id, isNoticeDue: true });
    expect(await desk.noteFollowerMessage(follower, clock.now())).toEqual({ handoffId: handoff.id, isNoticeDue: false });
    expect((await asAlice.agent.get(`/api/inbox/${handoff.id}`).expect(200)).body.handoff.waitingSeconds).toBe(0);

    await asAlice.agent.post(`/api/inbox/${handoff.id}/replies`).set(asAlice.csrf).send({ text: '   ', clientKey: `reply-${p}-2` }).expect(400);
    await asAlice.agent.post(`/api/inbox/${handoff.id}/replies`).set(asAlice.csrf).send({ text: 'no key' }).expect(400);
  });

  it('answers 503 when the bot of the follower platform does not run in this process, and stores nothing', async () => {
    const p = prefix();
    const follower = await followerWho(p, ['人工']);
    const { handoff } = await desk.open({ followerId: follower, platform: 'wechat', chatId: `wxid_${p}`, reason: 'asked', at: clock.now() });
    const res = await asAdmin.agent.post(`/api/inbox/${handoff.id}/replies`).set(asAdmin.csrf).send({ text: '您好', clientKey: `wx-${p}-0001` }).expect(503);
    expect(res.body.error.code).toBe('channel_unavailable');
    expect((await asAdmin.agent.get(`/api/inbox/${handoff.id}`).expect(200)).body.messages.filter((m: { from: string }) => m.from === 'staff')).toEqual([]);
  });

  it('skips marketing to a follower a person handles, in words, and sends it again once the hand-off is closed', async () => {
    const p = prefix();
    const follower = await followerWho(p, ['转人工']);
    const { handoff } = await desk.open({ followerId: follower, platform: 'telegram', chatId: `${p}1`, reason: 'asked', at: clock.now() });
    const campaigns = createCampaignRepositories(database.db);
    // Quiet hours away from the test clock's 04:00 in the follower's zone.
    await campaigns.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '22:00', end: '23:00' } });
    const courses = createRepositories(database.db).courses;
    const dispatchDeps = {
      outbox: campaigns.outbox, caps: campaigns.caps, guardSettings: campaigns.guardSettings, content: campaigns.content, courses,
      messengers: new Map([['telegram' as const, new SinkMessenger(sinkUrl)]]), clock, logger: createLogger('silent'),
    };
    const broadcastTo = async (name: string) => {
      const campaign = await createBroadcast({ campaigns: campaigns.campaigns, courses: courses as never, clock }, {
        name, variants: [{ key: 'A', text: { en: 'New course', 'zh-CN': '新课上线' } }], segment: { ownsCourseId: aliceCourse },
      }, ADMIN);
      await enqueueBroadcast({ campaigns: campaigns.campaigns, audience: campaigns.audience, outbox: campaigns.outbox, clock }, campaign.id);
      while ((await dispatchOutbox(dispatchDeps, { batchSize: 50, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 })).claimed > 0);
      return campaigns.campaigns.progress(campaign.id);
    };
    await database.db.execute(sql`INSERT INTO entitlements (follower_id, course_id) VALUES (${follower}::uuid, ${aliceCourse}::uuid)`);

    const during = await broadcastTo(`during-${p}`);
    expect(during.skipped).toMatchObject({ in_handoff: 1 });
    expect(received(`${p}1`)).toEqual([]);

    const closed = await asAdmin.agent.post(`/api/inbox/${handoff.id}/close`).set(asAdmin.csrf).expect(200);
    expect(closed.body.handoff).toMatchObject({ status: 'closed', closedBy: expect.stringMatching(/^account:/) });
    await asAdmin.agent.post(`/api/inbox/${handoff.id}/close`).set(asAdmin.csrf).expect(200);
    expect(received(`${p}1`)).toEqual([dialogText('zh-CN').handoffClosed]);
    expect(await auditActions(handoff.id)).toEqual(['handoff.closed']);
    expect((await createRepositories(database.db).followers.findById(follower))!.inHandoffSince).toBeNull();
    await asAdmin.agent.post(`/api/inbox/${handoff.id}/replies`).set(asAdmin.csrf).send({ text: 'late', clientKey: `late-${p}-01` }).expect(409);
    expect((await asAdmin.agent.get('/api/inbox').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(handoff.id);
    expect((await asAdmin.agent.get('/api/inbox?status=closed').expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(handoff.id);

    const after = await broadcastTo(`after-${p}`);
    expect(after.sent).toBe(1);
    expect(received(`${p}1`)).toHaveLength(2);
  });

  it("exports a follower's hand-offs with the staff replies, and erases them with the follower", async () => {
    const p = prefix();
    const follower = await followerWho(p, ['转人工']);
    const { handoff } = await desk.open({ followerId: follower, platform: 'telegram', chatId: `${p}1`, reason: 'asked', at: clock.now() });
    await asAdmin.agent.post(`/api/inbox/${handoff.id}/replies`).set(asAdmin.csrf).send({ text: '您好', clientKey: `export-${p}-01` }).expect(201);
    const exported = await asAdmin.agent.get(`/api/followers/${follower}/export`).expect(200);
    expect(exported.body.handoffs).toEqual([expect.objectContaining({ id: handoff.id, reason: 'asked', staff_replies: [expect.objectContaining({ text: '您好', status: 'sent' })] })]);
    await asAdmin.agent.delete(`/api/followers/${follower}`).set(asAdmin.csrf).expect(204);
    const [left] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM handoffs WHERE id = ${handoff.id}::uuid`);
    expect(left!.n).toBe(0);
    const [named] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE strpos(details::text, ${follower}) > 0`);
    expect(named!.n).toBe(0);
  });

  it('describes the inbox routes in /api/openapi.json', async () => {
    const doc = await request(app).get('/api/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/inbox', '/api/inbox/{id}', '/api/inbox/{id}/replies', '/api/inbox/{id}/close']));
  });
});
