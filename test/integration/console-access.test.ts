import request from 'supertest';
import type { Express } from 'express';
import type { Account } from '../../core/index.js';
import type { Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { addAccount, createConsoleTestApp, logInAgent } from './console-support.js';

const course = (slug: string) => ({ slug, titleZh: `课程 ${slug}`, titleEn: `Course ${slug}`, priceMinor: 19900, currency: 'CNY' });

describe.each(testTargets())('console access control (%s)', (target) => {
  let database: Database;
  let app: Express;
  let alice: Account;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    app = createConsoleTestApp(database);
    await addAccount(database, 'admin', 'admin@example.com');
    alice = await addAccount(database, 'creator', 'alice@example.com');
    await addAccount(database, 'creator', 'bob@example.com');
  });
  afterAll(async () => {
    await database.close();
  });

  it('answers 401 without a session or token, on console and foundation routes alike', async () => {
    for (const path of ['/api/auth/me', '/api/courses', '/api/settings', '/api/dashboard', '/api/events']) {
      const res = await request(app).get(path).expect(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    await request(app).get('/api/courses').set('Cookie', 'zl_session=forged').expect(401);
  });

  it('logs in with a session cookie that is httpOnly and SameSite=Lax, and refuses a wrong password', async () => {
    const ok = await request(app).post('/api/auth/login').send({ email: 'ADMIN@example.com', password: 'correct horse battery' }).expect(200);
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/zl_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(ok.body.account).toMatchObject({ email: 'admin@example.com', role: 'admin' });
    expect(ok.body.account.passwordHash).toBeUndefined();
    const bad = await request(app).post('/api/auth/login').send({ email: 'admin@example.com', password: 'wrong password' }).expect(401);
    expect(bad.body.error.code).toBe('invalid_credentials');
  });

  it('refuses a state-changing request without the CSRF token (403), accepts it with the token', async () => {
    const { agent, csrf } = await logInAgent(app, 'alice@example.com');
    const missing = await agent.post('/api/courses').send(course('csrf-check')).expect(403);
    expect(missing.body.error.code).toBe('csrf_missing');
    const wrong = await agent.post('/api/courses').set('X-CSRF-Token', 'nope').send(course('csrf-check')).expect(403);
    expect(wrong.body.error.code).toBe('csrf_invalid');
    const created = await agent.post('/api/courses').set(csrf).send(course('csrf-check')).expect(201);
    expect(created.body.creatorId).toBe(alice.id);
    const me = await agent.get('/api/auth/me').expect(200);
    expect(me.body.principal).toEqual({ id: alice.id, role: 'creator' });
  });

  it('keeps a creator out of admin settings, accounts and followers', async () => {
    const { agent, csrf } = await logInAgent(app, 'bob@example.com');
    await agent.get('/api/settings').expect(403);
    const put = await agent.put('/api/guard-settings').set(csrf).send({ dailyCap: 9, weeklyCap: 9, quietHours: { start: '22:00', end: '08:00' } }).expect(403);
    expect(put.body.error.code).toBe('forbidden');
    await agent.get('/api/guard-settings').expect(403);
    await agent.get('/api/audit-log').expect(403);
    await agent.post('/api/accounts').set(csrf).send({ email: 'x@example.com', password: 'long enough pw', role: 'admin' }).expect(403);
    await agent.get('/api/followers').expect(403);
  });

  it('keeps a creator out of retargeting rules, schedules, guard settings and recommender experiments (403), and lets them compose broadcasts', async () => {
    const { agent, csrf } = await logInAgent(app, 'bob@example.com');
    const someId = '00000000-0000-4000-8000-000000000000';
    const denied = [
      agent.get('/api/retargeting-rules'),
      agent.get(`/api/retargeting-rules/${someId}/results`),
      agent.post('/api/retargeting-rules').set(csrf).send({}),
      agent.get('/api/schedules'),
      agent.patch('/api/schedules/retargeting-scan').set(csrf).send({ enabled: false }),
      agent.post('/api/schedules/retargeting-scan/run').set(csrf),
      agent.get('/api/guard-settings'),
      agent.put('/api/guard-settings').set(csrf).send({ dailyCap: 9, weeklyCap: 9, quietHours: { start: '22:00', end: '08:00' } }),
      // A recommender variant changes what every follower is served, other creators' courses included.
      agent.get('/api/recommender-experiments'),
      agent.post('/api/recommender-experiments').set(csrf).send({}),
      agent.post(`/api/recommender-experiments/${someId}/start`).set(csrf),
    ];
    for (const res of await Promise.all(denied)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const [enabled] = (await request(app).get('/api/schedules').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200)).body.items.filter((s: { name: string }) => s.name === 'retargeting-scan');
    expect(enabled.enabled).toBe(true);
    // Composing needs the audience preview; a missing broadcast is a 404, not a 403.
    expect((await agent.post('/api/segments/preview').set(csrf).send({ segment: {} }).expect(200)).body.size).toEqual(expect.any(Number));
    await agent.get(`/api/broadcasts/${someId}`).expect(404);
    await agent.get(`/api/broadcasts/${someId}/results`).expect(404);
    await agent.post(`/api/broadcasts/${someId}/cancel`).set(csrf).expect(404);
    // The admin-only guard is scoped to its paths: the creator's own routes after it still answer.
    await agent.get('/api/courses').expect(200);
    await agent.get('/api/dashboard').expect(200);
  });

  it("gives each creator their own broadcasts and results, hides another creator's (404), and lets admins see all", async () => {
    const aliceSession = await logInAgent(app, 'alice@example.com');
    const bobSession = await logInAgent(app, 'bob@example.com');
    const aliceCourse = await aliceSession.agent.post('/api/courses').set(aliceSession.csrf).send(course('alice-broadcast')).expect(201);
    const bobCourse = await bobSession.agent.post('/api/courses').set(bobSession.csrf).send(course('bob-broadcast')).expect(201);
    const broadcast = (name: string, courseId: string) => ({ name, variants: [{ key: 'A', text: { en: 'New lessons are out' }, courseId }], sendTime: { mode: 'at', at: '2999-01-01T00:00:00Z' } });

    const own = await aliceSession.agent.post('/api/broadcasts').set(aliceSession.csrf).send(broadcast('alice spring', aliceCourse.body.id)).expect(201);
    expect(own.body.broadcast.createdBy).toBe(alice.id);
    const foreign = await aliceSession.agent.post('/api/broadcasts').set(aliceSession.csrf).send(broadcast('alice steals', bobCourse.body.id)).expect(403);
    expect(foreign.body.error.code).toBe('course_not_yours');
    // Nor may a creator target, or count, another creator's buyers through a segment.
    const targeting = { ...broadcast('alice targets bob buyers', aliceCourse.body.id), segment: { ownsCourseId: bobCourse.body.id } };
    expect((await aliceSession.agent.post('/api/broadcasts').set(aliceSession.csrf).send(targeting).expect(403)).body.error.code).toBe('course_not_yours');
    await aliceSession.agent.post('/api/segments/preview').set(aliceSession.csrf).send({ segment: { notOwnsCourseId: bobCourse.body.id } }).expect(403);
    await aliceSession.agent.post('/api/segments/preview').set(aliceSession.csrf).send({ segment: { ownsCourseId: aliceCourse.body.id } }).expect(200);
    const byAdmin = await request(app).post('/api/broadcasts').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send(broadcast('admin any course', bobCourse.body.id)).expect(201);
    expect(byAdmin.body.broadcast.createdBy).toBe('admin');
    const bobs = await bobSession.agent.post('/api/broadcasts').set(bobSession.csrf).send(broadcast('bob autumn', bobCourse.body.id)).expect(201);

    const id = own.body.broadcast.id as string;
    const names = (res: request.Response) => res.body.items.map((b: { name: string }) => b.name);
    const bobList = await bobSession.agent.get('/api/broadcasts').expect(200);
    expect(names(bobList)).toEqual(['bob autumn']);
    await bobSession.agent.get(`/api/broadcasts/${id}`).expect(404);
    await bobSession.agent.get(`/api/broadcasts/${id}/results`).expect(404);
    for (const command of ['pause', 'resume', 'cancel']) await bobSession.agent.post(`/api/broadcasts/${id}/${command}`).set(bobSession.csrf).expect(404);
    const notFound = await bobSession.agent.post(`/api/broadcasts/${id}/pause`).set(bobSession.csrf).expect(404);
    expect(notFound.body.error.code).toBe('campaign_not_found');

    expect(names(await aliceSession.agent.get('/api/broadcasts').expect(200))).toEqual(['alice spring']);
    expect((await aliceSession.agent.get(`/api/broadcasts/${id}`).expect(200)).body.broadcast.name).toBe('alice spring');
    expect((await aliceSession.agent.get(`/api/broadcasts/${id}/results`).expect(200)).body.variants).toEqual([expect.objectContaining({ variant: 'A', sent: 0 })]);
    expect((await aliceSession.agent.post(`/api/broadcasts/${id}/pause`).set(aliceSession.csrf).expect(200)).body.broadcast.status).toBe('paused');

    const admin = await logInAgent(app, 'admin@example.com');
    const all = names(await admin.agent.get('/api/broadcasts').expect(200));
    expect(all).toEqual(expect.arrayContaining(['alice spring', 'admin any course', 'bob autumn']));
    await admin.agent.get(`/api/broadcasts/${bobs.body.broadcast.id}/results`).expect(200);
    expect((await admin.agent.post(`/api/broadcasts/${id}/cancel`).set(admin.csrf).expect(200)).body.broadcast.status).toBe('cancelled');
    expect((await request(app).get(`/api/broadcasts/${byAdmin.body.broadcast.id}`).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200)).body.broadcast.name).toBe('admin any course');
  });

  it("keeps a creator away from another creator's courses and coupons", async () => {
    const aliceSession = await logInAgent(app, 'alice@example.com');
    const own = await aliceSession.agent.post('/api/courses').set(aliceSession.csrf).send(course('alice-only')).expect(201);
    const bob = await logInAgent(app, 'bob@example.com');
    await bob.agent.get(`/api/courses/${own.body.id}`).expect(403);
    await bob.agent.patch(`/api/courses/${own.body.id}`).set(bob.csrf).send({ priceMinor: 1 }).expect(403);
    await bob.agent.post(`/api/courses/${own.body.id}/archive`).set(bob.csrf).expect(403);
    await bob.agent.post(`/api/courses/${own.body.id}/coupons`).set(bob.csrf).send({ code: 'STEAL', percentOff: 90 }).expect(403);
    const list = await bob.agent.get('/api/courses').expect(200);
    expect(list.body.items.map((c: { slug: string }) => c.slug)).not.toContain('alice-only');
    const unchanged = await aliceSession.agent.get(`/api/courses/${own.body.id}`).expect(200);
    expect(unchanged.body.priceMinor).toBe(19900);
  });

  it('accepts ADMIN_API_TOKEN and issued API tokens as bearer, without CSRF, and rejects revoked ones', async () => {
    await request(app).get('/api/settings').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200);
    const { agent, csrf } = await logInAgent(app, 'alice@example.com');
    const issued = await agent.post('/api/tokens').set(csrf).send({ name: 'script' }).expect(201);
    expect(issued.body.token).toMatch(/^zl_/);
    const bearer = { Authorization: `Bearer ${issued.body.token}` };
    await request(app).post('/api/courses').set(bearer).send(course('by-token')).expect(201);
    await request(app).get('/api/settings').set(bearer).expect(403);
    const listed = await agent.get('/api/tokens').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
    await agent.delete(`/api/tokens/${issued.body.id}`).set(csrf).expect(204);
    await request(app).get('/api/courses').set(bearer).expect(401);
  });

  it('rate-limits failed logins per email and IP, even for the right password afterwards', async () => {
    await addAccount(database, 'creator', 'locked@example.com');
    for (let i = 0; i < 5; i += 1) {
      await request(app).post('/api/auth/login').send({ email: 'locked@example.com', password: `wrong-${i}` }).expect(401);
    }
    const limited = await request(app).post('/api/auth/login').send({ email: 'locked@example.com', password: 'correct horse battery' }).expect(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    expect(limited.headers['retry-after']).toBe('900');
  });

  it('ends the session on logout', async () => {
    const { agent, csrf } = await logInAgent(app, 'alice@example.com');
    await agent.post('/api/auth/logout').expect(403);
    await agent.post('/api/auth/logout').set(csrf).expect(204);
    await agent.get('/api/auth/me').expect(401);
  });
});
