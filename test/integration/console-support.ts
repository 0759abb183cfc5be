import type { Express } from 'express';
import request from 'supertest';
import { createCoreApiRouter, createHttpApp, createLogger, createMetrics } from '../../adapters/index.js';
import { createAccount, systemClock, type Account, type Clock, type Role } from '../../core/index.js';
import { createRepositories, PgConsoleUnitOfWork, PgUnitOfWork, type Database } from '../../models/index.js';
import { createConsoleParts } from '../../bots/wire-console.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';

export const CONSOLE_TEST_CONFIG = {
  adminEmail: undefined,
  adminPassword: undefined,
  sessionTtlMs: 3_600_000,
  maxLoginFailures: 5,
  lockoutWindowMs: 15 * 60_000,
  isSecureCookie: false,
};

/** The real app as wire-console composes it: console mounts first, the foundation /api, the /console static mount. */
export function createConsoleTestApp(database: Database, options: { clock?: Clock; distDir?: string } = {}): Express {
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const repos = createRepositories(database.db);
  const core = createCoreApiRouter({ recordEventsDeps: { uow: new PgUnitOfWork(database.db), clock, metrics: metrics.core }, ...repos, clock });
  const parts = createConsoleParts({
    db: database.db,
    clock,
    console: CONSOLE_TEST_CONFIG,
    adminApiToken: TEST_ADMIN_TOKEN,
    channels: () => [{ channel: 'http', isOn: true, reason: 'test' }],
    distDir: options.distDir,
  });
  return createHttpApp({
    logger: createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent'),
    metrics,
    checkReadiness: () => database.ping(),
    adminApiToken: TEST_ADMIN_TOKEN,
    adminAuth: parts.adminAuth,
    mounts: [...parts.firstMounts, { path: '/api', router: core, access: 'admin' }, ...parts.mounts],
  });
}

export async function addAccount(database: Database, role: Role, email: string, password = 'correct horse battery'): Promise<Account> {
  const { Argon2PasswordHasher } = await import('../../adapters/index.js');
  return createAccount({ uow: new PgConsoleUnitOfWork(database.db), hasher: new Argon2PasswordHasher(), clock: systemClock }, { email, password, role }, 'test');
}

/** Logs in through the API; returns an agent holding the cookie and the CSRF header to send. */
export async function logInAgent(app: Express, email: string, password = 'correct horse battery') {
  const agent = request.agent(app);
  const res = await agent.post('/api/auth/login').send({ email, password }).expect(200);
  const csrf = { 'X-CSRF-Token': String(res.body.csrfToken) };
  return { agent, csrf, cookie: res.headers['set-cookie'] as unknown as string[] };
}
