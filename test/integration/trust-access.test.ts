import type { Express } from 'express';
import request from 'supertest';
import { createSegmentsRouter } from '../../adapters/http/routes/segments.js';
import { createWechatLoginQrRouter } from '../../adapters/wechat/index.js';
import { PgModelArtifactRepository, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { addAccount, createConsoleTestApp, logInAgent } from './console-support.js';

describe.each(testTargets())('admin-only reads and creator limits (%s)', (target) => {
  let database: Database;
  let app: Express;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    const loginQr = createWechatLoginQrRouter(() => ({ status: 'waiting_for_scan', qrcode: 'https://login.weixin.qq.com/l/secret', scanStatus: 'waiting', terminal: '█', updatedAt: new Date().toISOString() }));
    app = createConsoleTestApp(database, {
      mounts: [
        { path: '/api', router: createSegmentsRouter({ artifacts: new PgModelArtifactRepository(database.db) }), access: 'admin' },
        { path: '/api', router: loginQr, access: 'admin' },
      ],
    });
    await addAccount(database, 'admin', 'admin@example.com');
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
});
