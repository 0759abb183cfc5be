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

  it('keeps a creator out of every campaigns route: broadcasts and their results, segments, retargeting rules, schedules', async () => {
    const { agent, csrf } = await logInAgent(app, 'bob@example.com');
    const someId = '00000000-0000-4000-8000-000000000000';
    const denied = [
      agent.get('/api/broadcasts'),
      agent.get(`/api/broadcasts/${someId}`),
      agent.get(`/api/broadcasts/${someId}/results`),
      agent.post('/api/broadcasts').set(csrf).send({ name: 'x', variants: [{ key: 'A', text: { en: 'hi' } }] }),
      agent.post(`/api/broadcasts/${someId}/cancel`).set(csrf),
      agent.post('/api/segments/preview').set(csrf).send({ segment: {} }),
      agent.get('/api/retargeting-rules'),
      agent.get(`/api/retargeting-rules/${someId}/results`),
      agent.post('/api/retargeting-rules').set(csrf).send({}),
      agent.get('/api/schedules'),
      agent.patch('/api/schedules/retargeting-scan').set(csrf).send({ enabled: false }),
      agent.post('/api/schedules/retargeting-scan/run').set(csrf),
    ];
    for (const res of await Promise.all(denied)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await request(app).get('/api/schedules').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200)).body.items.length).toBeGreaterThan(0);
    const [enabled] = (await request(app).get('/api/schedules').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)).body.items.filter((s: { name: string }) => s.name === 'retargeting-scan');
    expect(enabled.enabled).toBe(true);
    // The campaign guard is scoped to its paths: the creator's own routes after it still answer.
    await agent.get('/api/courses').expect(200);
    await agent.get('/api/dashboard').expect(200);
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
