import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { recordEvents } from '../../../core/index.js';
import { queryRows, seedDemoCatalogue, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { createTestApp, type TestApp } from '../../support/http.js';

describe.each(testTargets())('POST /api/events on %s', (target) => {
  let database: Database;
  let t: TestApp;
  let courseId: string;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    t = createTestApp(database);
    courseId = (await t.repos.courses.findBySlug('phone-photography'))!.id;
  });
  afterAll(() => database.close());

  const countEvents = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events`))[0]!.n;
  const identity = () => ({ kind: 'mp_openid', externalId: `o-${randomUUID()}` });

  it('records a batch, creating the follower from its identity, and reports duplicates on redelivery', async () => {
    const who = identity();
    const batch = [
      { kind: 'follow', platform: 'miniprogram', externalId: `f-${who.externalId}`, identity: who },
      { kind: 'view', platform: 'miniprogram', externalId: `v-${who.externalId}`, identity: who, courseId },
    ];
    const first = await request(t.app).post('/api/events').set(t.auth).send({ events: batch }).expect(201);
    expect(first.body.recorded).toBe(2);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['recorded', 'recorded']);
    expect(first.body.results[0].followerId).toBe(first.body.results[1].followerId);

    const again = await request(t.app).post('/api/events').set(t.auth).send({ events: batch }).expect(200);
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 2 });
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate']);
  });

  it('treats a repeated external id inside one batch as a duplicate', async () => {
    const who = identity();
    const event = { kind: 'click', platform: 'miniprogram', externalId: `c-${who.externalId}`, identity: who, courseId };
    const res = await request(t.app).post('/api/events').set(t.auth).send({ events: [event, event] }).expect(201);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['recorded', 'duplicate']);
  });

  it('rejects the whole batch, writing nothing, when one event names an unknown follower', async () => {
    const before = await countEvents();
    const who = identity();
    const res = await request(t.app)
      .post('/api/events')
      .set(t.auth)
      .send({ events: [
        { kind: 'view', platform: 'api', externalId: `ok-${who.externalId}`, identity: who, courseId },
        { kind: 'view', platform: 'api', externalId: `bad-${who.externalId}`, followerId: randomUUID() },
      ] })
      .expect(422);
    expect(res.body.error.code).toBe('invalid_events');
    expect(res.body.error.details.results[1].error.code).toBe('follower_not_found');
    expect(res.body.error.details.results[0].status).toBe('rejected');
    expect(await countEvents()).toBe(before);
    // The identity of the valid event was not left behind either.
    expect(await t.repos.followers.findByIdentity('mp_openid', who.externalId)).toBeNull();
  });

  it('records events of known followers in one statement: last seen moves forward, an unknown follower or course writes nothing', async () => {
    const who = identity();
    const created = await request(t.app).post('/api/events').set(t.auth).send({ events: [{ kind: 'follow', platform: 'api', externalId: `k-${who.externalId}`, identity: who }] }).expect(201);
    const followerId: string = created.body.results[0].followerId;
    const lastSeen = async () => (await t.repos.followers.findById(followerId))!.lastSeenAt!.toISOString();
    const later = '2030-01-02T03:04:05.000Z';
    const known = [
      { kind: 'view', platform: 'api', externalId: `k1-${who.externalId}`, followerId, courseId, occurredAt: later },
      { kind: 'click', platform: 'api', externalId: `k2-${who.externalId}`, followerId, courseId, occurredAt: '2029-01-01T00:00:00.000Z' },
    ];
    const res = await request(t.app).post('/api/events').set(t.auth).send({ events: known }).expect(201);
    expect(res.body.results.map((r: { status: string; followerId: string }) => [r.status, r.followerId])).toEqual([['recorded', followerId], ['recorded', followerId]]);
    expect(await lastSeen()).toBe(later);

    const before = await countEvents();
    const badFollower = await request(t.app).post('/api/events').set(t.auth)
      .send({ events: [{ ...known[0], externalId: `k3-${who.externalId}`, occurredAt: '2031-01-01T00:00:00.000Z' }, { kind: 'view', platform: 'api', externalId: `k4-${who.externalId}`, followerId: randomUUID() }] })
      .expect(422);
    expect(badFollower.body.error.details.results.map((r: { error: { code: string } }) => r.error.code)).toEqual(['not_recorded', 'follower_not_found']);
    const badCourse = await request(t.app).post('/api/events').set(t.auth)
      .send({ events: [{ kind: 'view', platform: 'api', externalId: `k5-${who.externalId}`, followerId, courseId: randomUUID() }] })
      .expect(422);
    expect(badCourse.body.error.details.results[0].error.code).toBe('course_not_found');
    expect(await countEvents()).toBe(before);
    expect(await lastSeen()).toBe(later);
  });

  it('rejects an unknown event kind and an unknown course with the item and field named', async () => {
    const who = identity();
    const res = await request(t.app)
      .post('/api/events')
      .set(t.auth)
      .send({ events: [{ kind: 'teleport', platform: 'api', externalId: 'x1', identity: who }] })
      .expect(422);
    expect(res.body.error.details.results[0].error.message).toMatch(/^kind:/);

    const res2 = await request(t.app)
      .post('/api/events')
      .set(t.auth)
      .send({ events: [{ kind: 'view', platform: 'api', externalId: 'x2', identity: who, courseId: randomUUID() }] })
      .expect(422);
    expect(res2.body.error.details.results[0].error.code).toBe('course_not_found');
  });

  it('stores NUL characters and lone surrogates in text as U+FFFD instead of failing the batch', async () => {
    const who = { ...identity(), displayName: 'Ann\u0000ie' };
    const text = 'hello\u0000 world \ud83d python'; // a NUL, and half of an emoji's surrogate pair
    const res = await request(t.app)
      .post('/api/events')
      .set(t.auth)
      .send({ events: [{ kind: 'message', platform: 'web', externalId: `nul-${who.externalId}\u0000`, identity: who, payload: { text, ['k\u0000']: ['\udc00'] } }] })
      .expect(201);
    const [row] = await queryRows<{ payload: Record<string, unknown>; external_id: string; display_name: string | null }>(
      database.db,
      sql`select e.payload, e.external_id, f.display_name from events e join followers f on f.id = e.follower_id where e.follower_id = ${res.body.results[0].followerId}`,
    );
    expect(row!.payload).toEqual({ text: 'hello\ufffd world \ufffd python', ['k\ufffd']: ['\ufffd'] });
    expect(row!.external_id).toBe(`nul-${who.externalId}\ufffd`);
    expect(row!.display_name).toBe('Ann\ufffdie');
  });

  it('records a NUL in message text through the core use case too (the path chat messages take)', async () => {
    const who = identity();
    const [result] = await recordEvents(t.recordEventsDeps, [{ kind: 'message', platform: 'telegram', externalId: `tg-${who.externalId}`, identity: who, payload: { text: '\u0000有没有理财课程？' } }]);
    expect(result!.status).toBe('recorded');
    const [row] = await queryRows<{ text: string }>(database.db, sql`select payload->>'text' as text from events where external_id = ${`tg-${who.externalId}`}`);
    expect(row!.text).toBe('\ufffd有没有理财课程？');
  });

  it('answers malformed JSON, an empty batch and an oversize batch with clear 4xx errors', async () => {
    const malformed = await request(t.app).post('/api/events').set(t.auth).set('Content-Type', 'application/json').send('{"events": [').expect(400);
    expect(malformed.body.error.code).toBe('malformed_json');
    const empty = await request(t.app).post('/api/events').set(t.auth).send({ events: [] }).expect(400);
    expect(empty.body.error.message).toMatch(/at least one event/);
    const who = identity();
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ kind: 'view', platform: 'api', externalId: `big-${i}`, identity: who }));
    const before = await countEvents();
    const big = await request(t.app).post('/api/events').set(t.auth).send({ events: tooMany }).expect(413);
    expect(big.body.error.code).toBe('batch_too_large');
    expect(await countEvents()).toBe(before);
  });

  it('refuses a missing or wrong token', async () => {
    const missing = await request(t.app).post('/api/events').send({ events: [] }).expect(401);
    expect(missing.body.error.code).toBe('unauthorized');
    await request(t.app).post('/api/events').set('Authorization', 'Bearer nope').send({ events: [] }).expect(401);
  });

  it('counts recorded events in /metrics', async () => {
    const res = await request(t.app).get('/metrics').expect(200);
    expect(res.text).toMatch(/zhiliao_events_recorded_total\{kind="view"\} [1-9]/);
    expect(res.text).toMatch(/zhiliao_http_request_duration_seconds_bucket/);
  });
});
