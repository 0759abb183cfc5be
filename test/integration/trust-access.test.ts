import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import { createSegmentsRouter } from '../../adapters/http/routes/segments.js';
import { createWechatLoginQrRouter } from '../../adapters/wechat/index.js';
import { PgModelArtifactRepository, queryRows, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { TestClock } from '../support/http.js';
import { addAccount, createConsoleTestApp, logInAgent } from './console-support.js';

describe.each(testTargets())('admin-only reads and creator limits (%s)', (target) => {
  let database: Database;
  let app: Express;
  let adminId: string;
  const clock = new TestClock(new Date());
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const course = (slug: string) => ({ slug, titleZh: `课程 ${slug}`, titleEn: `Course ${slug}`, priceMinor: 19900, currency: 'CNY' });

  beforeAll(async () => {
    database = await openTestDatabase(target);
    const loginQr = createWechatLoginQrRouter(() => ({ status: 'waiting_for_scan', qrcode: 'https://login.weixin.qq.com/l/secret', scanStatus: 'waiting', terminal: '█', updatedAt: new Date().toISOString() }));
    app = createConsoleTestApp(database, {
      clock,
      mounts: [
        { path: '/api', router: createSegmentsRouter({ artifacts: new PgModelArtifactRepository(database.db) }), access: 'admin' },
        { path: '/api', router: loginQr, access: 'admin' },
      ],
    });
    adminId = (await addAccount(database, 'admin', 'admin@example.com')).id;
    await addAccount(database, 'creator', 'alice@example.com');
  });
  afterAll(() => database.close());

  it('keeps the WeChat login QR code and the global segments from creators (403), and serves them to admins', async () => {
    const alice = await logInAgent(app, 'alice@example.com');
    const qr = await alice.agent.get('/api/wechat/login-qr').expect(403);
    expect(qr.body.error.code).toBe('forbidden');
    expect(JSON.stringify(qr.body)).not.toContain('secret');
    await alice.agent.get('/api/segments').expect(403);

    const admin = await logInAgent(app, 'admin@example.com');
    expect((await admin.agent.get('/api/wechat/login-qr').expect(200)).body.status).toBe('waiting_for_scan');
    await admin.agent.get('/api/segments').expect(200);
    await request(app).get('/api/segments').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200);
  });

  it('issues tokens that expire in 90 days by default, with read and write scopes, and enforces the scopes', async () => {
    const alice = await logInAgent(app, 'alice@example.com');
    const rw = await alice.agent.post('/api/tokens').set(alice.csrf).send({ name: 'default' }).expect(201);
    expect(rw.body.scopes).toEqual(['read', 'write']);
    expect(new Date(rw.body.expiresAt).getTime() - clock.now().getTime()).toBe(90 * 86_400_000);
    await request(app).post('/api/courses').set(bearer(rw.body.token)).send(course('by-rw-token')).expect(201);

    const ro = await alice.agent.post('/api/tokens').set(alice.csrf).send({ name: 'reader', scopes: ['read'], expiresInDays: 7 }).expect(201);
    await request(app).get('/api/courses').set(bearer(ro.body.token)).expect(200);
    const denied = await request(app).post('/api/courses').set(bearer(ro.body.token)).send(course('by-ro-token')).expect(403);
    expect(denied.body.error.code).toBe('insufficient_scope');

    const noAdmin = await alice.agent.post('/api/tokens').set(alice.csrf).send({ name: 'escalate', scopes: ['read', 'admin'] }).expect(403);
    expect(noAdmin.body.error.code).toBe('scope_not_held');
  });

  it('gives an admin account\'s token admin powers only with the admin scope, and a token cannot mint more than it holds', async () => {
    const admin = await logInAgent(app, 'admin@example.com');
    const plain = await admin.agent.post('/api/tokens').set(admin.csrf).send({ name: 'plain' }).expect(201);
    await request(app).get('/api/settings').set(bearer(plain.body.token)).expect(403);
    const minted = await request(app).post('/api/tokens').set(bearer(plain.body.token)).send({ name: 'minted', scopes: ['read', 'write', 'admin'] }).expect(403);
    expect(minted.body.error.code).toBe('scope_not_held');

    const full = await admin.agent.post('/api/tokens').set(admin.csrf).send({ name: 'full', scopes: ['read', 'write', 'admin'] }).expect(201);
    await request(app).get('/api/settings').set(bearer(full.body.token)).expect(200);
  });

  it('revokes an account\'s tokens and ends its sessions when its password changes', async () => {
    const carol = await addAccount(database, 'creator', 'carol@example.com');
    const session = await logInAgent(app, 'carol@example.com');
    const issued = await session.agent.post('/api/tokens').set(session.csrf).send({ name: 'script' }).expect(201);
    await request(app).get('/api/courses').set(bearer(issued.body.token)).expect(200);

    await request(app).patch(`/api/accounts/${carol.id}`).set(bearer(TEST_ADMIN_TOKEN)).send({ password: 'a brand new password' }).expect(200);
    await request(app).get('/api/courses').set(bearer(issued.body.token)).expect(401);
    await session.agent.get('/api/courses').expect(401);
    const listed = await request(app).get('/api/tokens').set(bearer(TEST_ADMIN_TOKEN)).expect(200);
    expect(listed.body.items.find((t: { id: string }) => t.id === issued.body.id).revokedAt).not.toBeNull();
  });

  it('refuses a token once its lifetime has passed', async () => {
    const admin = await logInAgent(app, 'admin@example.com');
    const short = await admin.agent.post('/api/tokens').set(admin.csrf).send({ name: 'short', expiresInDays: 1 }).expect(201);
    expect(short.body.accountId).toBe(adminId);
    await request(app).get('/api/courses').set(bearer(short.body.token)).expect(200);
    clock.advance(86_400_000 + 1000);
    await request(app).get('/api/courses').set(bearer(short.body.token)).expect(401);
  });

  describe('POST /api/events', () => {
    const event = (kind: string, courseId?: string) => ({ kind, platform: 'web', externalId: `e-${randomUUID()}`, identity: { kind: 'mp_openid', externalId: `o-${randomUUID()}` }, ...(courseId ? { courseId } : {}) });
    const countEvents = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events`))[0]!.n;
    const audited = async (actor: string) =>
      queryRows<{ details: { kinds: Record<string, number> } }>(database.db, sql`select details from audit_log where action = 'events.record' and actor = ${actor} order by id`);

    it('lets a creator write only engagement events on their own courses, refusing the whole batch otherwise', async () => {
      const alice = await logInAgent(app, 'alice@example.com');
      const own = (await alice.agent.post('/api/courses').set(alice.csrf).send(course('alice-events')).expect(201)).body.id as string;
      const others = (await request(app).post('/api/courses').set(bearer(TEST_ADMIN_TOKEN)).send(course('admin-events')).expect(201)).body.id as string;
      const before = await countEvents();
      for (const batch of [[event('purchase', own)], [event('refund', own)], [event('checkout', own)], [event('view', own), event('view', others)], [event('message')], [event('view', 'not-a-uuid')]]) {
        const res = await alice.agent.post('/api/events').set(alice.csrf).send({ events: batch }).expect(403);
        expect(res.body.error.code).toBe('event_not_allowed');
      }
      expect(await countEvents()).toBe(before);

      await alice.agent.post('/api/events').set(alice.csrf).send({ events: [event('view', own), event('click', own)] }).expect(201);
      const entries = await audited(`account:${(await alice.agent.get('/api/auth/me')).body.principal.id}`);
      expect(entries.map((e) => e.details.kinds)).toEqual([{ view: 1, click: 1 }]);
    });

    it('lets admins write money-bearing events; audits an admin account, not the ingestion token', async () => {
      const courseId = (await request(app).post('/api/courses').set(bearer(TEST_ADMIN_TOKEN)).send(course('admin-money')).expect(201)).body.id as string;
      await request(app).post('/api/events').set(bearer(TEST_ADMIN_TOKEN)).send({ events: [event('purchase', courseId)] }).expect(201);
      expect(await audited('admin-api-token')).toEqual([]);
      const admin = await logInAgent(app, 'admin@example.com');
      await admin.agent.post('/api/events').set(admin.csrf).send({ events: [event('checkout', courseId), event('follow')] }).expect(201);
      expect((await audited(`account:${adminId}`)).map((e) => e.details.kinds)).toEqual([{ checkout: 1, follow: 1 }]);
    });
  });

  describe('login throttling', () => {
    const tryLogin = (target: Express, email: string, password: string, forwardedFor?: string) => {
      const req = request(target).post('/api/auth/login');
      if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
      return req.send({ email, password });
    };

    it('checks at most the allowed number of passwords when 40 wrong ones arrive at once', async () => {
      await addAccount(database, 'creator', 'raced@example.com');
      const statuses = (await Promise.all(Array.from({ length: 40 }, (_, i) => tryLogin(app, 'raced@example.com', `wrong-${i}`)))).map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(35);
      await tryLogin(app, 'raced@example.com', 'correct horse battery').expect(429);
    });

    it('gives no fresh tries for a made-up X-Forwarded-For unless the proxy is trusted', async () => {
      await addAccount(database, 'creator', 'spoof@example.com');
      for (let i = 0; i < 5; i += 1) await tryLogin(app, 'spoof@example.com', `wrong-${i}`, `198.51.100.${i}`).expect(401);
      await tryLogin(app, 'spoof@example.com', 'wrong-again', '198.51.100.99').expect(429);

      const behindProxy = createConsoleTestApp(database, { clock, trustProxy: 'loopback' });
      await addAccount(database, 'creator', 'proxied@example.com');
      for (let i = 0; i < 5; i += 1) await tryLogin(behindProxy, 'proxied@example.com', `wrong-${i}`, '203.0.113.1').expect(401);
      await tryLogin(behindProxy, 'proxied@example.com', 'wrong-again', '203.0.113.1').expect(429);
      await tryLogin(behindProxy, 'proxied@example.com', 'correct horse battery', '203.0.113.2').expect(200);
    });
  });
});
