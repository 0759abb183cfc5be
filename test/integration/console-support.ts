import type { Express } from 'express';
import request from 'supertest';
import { createCoreApiRouter, createHttpApp, createLogger, createMetrics, type Mount } from '../../adapters/index.js';
import { createAccount, systemClock, type Account, type Clock, type Messenger, type Platform, type Role } from '../../core/index.js';
import { createRepositories, PgConsoleUnitOfWork, PgRecommenderExperiments, PgUnitOfWork, type Database } from '../../models/index.js';
import { createConsoleParts } from '../../bots/wire-console.js';
import { createCampaignMounts } from '../../bots/wire-jobs.js';
import { createCampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';

export const CONSOLE_TEST_CONFIG = {
  adminEmail: undefined,
  adminPassword: undefined,
  sessionTtlMs: 3_600_000,
  maxLoginFailures: 5,
  lockoutWindowMs: 15 * 60_000,
  isSecureCookie: false,
};

/**
 * The real app as the all-in-one process composes it: console mounts first, the foundation /api,
 * the campaign mounts (wire-jobs' `createCampaignMounts`, without a scheduler), the /console static mount.
 */
export function createConsoleTestApp(
  database: Database,
  options: { clock?: Clock; distDir?: string; mounts?: Mount[]; trustProxy?: string; messengers?: ReadonlyMap<Platform, Messenger> } = {},
): Express {
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
  const repos = createRepositories(database.db);
  const core = createCoreApiRouter({ recordEventsDeps: { uow: new PgUnitOfWork(database.db), clock, metrics: metrics.core }, ...repos, clock });
  const parts = createConsoleParts({
    db: database.db,
    clock,
    console: CONSOLE_TEST_CONFIG,
    adminApiToken: TEST_ADMIN_TOKEN,
    channels: () => [{ channel: 'http', isOn: true, reason: 'test' }],
    distDir: options.distDir,
    logger,
    ...(options.messengers ? { messengers: options.messengers } : {}),
  });
  return createHttpApp({
    logger,
    metrics,
    checkReadiness: () => database.ping(),
    adminApiToken: TEST_ADMIN_TOKEN,
    adminAuth: parts.adminAuth,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    mounts: [
      ...parts.firstMounts,
      { path: '/api', router: core, access: 'admin' },
      ...createCampaignMounts({
        repos: createCampaignRepositories(database.db), courses: repos.courses, clock, audit: repos.audit, coupons: repos.coupons,
        recommenderExperiments: { experiments: new PgRecommenderExperiments(database.db), clock },
      }),
      ...(options.mounts ?? []),
      ...parts.mounts,
    ],
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

/**
 * Activity for dashboards: `followers` followers (alternating Telegram and WeChat identities), each
 * follows; every 2nd writes a message; every 3rd views `courseId`; every 4th checks out; every
 * 6th pays (a paid order written through SQL, as the payment flow would leave it). Returns the
 * follower ids and how many got at least as far as each funnel step.
 */
export async function seedActivity(app: Express, database: Database, courseId: string, followers: number, at: Date) {
  const events: Record<string, unknown>[] = [];
  const ids: string[] = [];
  for (let i = 0; i < followers; i += 1) {
    const identity = i % 2 === 0 ? { kind: 'telegram', externalId: `tg-${i}-${at.getTime()}` } : { kind: 'wechat', externalId: `wx-${i}-${at.getTime()}` };
    const platform = identity.kind;
    const base = { platform, identity, occurredAt: at.toISOString() };
    events.push({ ...base, kind: 'follow', externalId: `${identity.externalId}-f` });
    if (i % 2 === 0) events.push({ ...base, kind: 'message', externalId: `${identity.externalId}-m`, payload: { text: 'python 课程' } });
    if (i % 3 === 0) events.push({ ...base, kind: 'view', externalId: `${identity.externalId}-v`, courseId });
    if (i % 4 === 0) events.push({ ...base, kind: 'checkout', externalId: `${identity.externalId}-c`, courseId });
  }
  const res = await request(app).post('/api/events').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({ events }).expect(201);
  const followerOf = new Map<string, string>();
  for (const r of res.body.results as { followerId: string }[]) if (!followerOf.has(r.followerId)) { followerOf.set(r.followerId, r.followerId); ids.push(r.followerId); }
  const { sql } = await import('drizzle-orm');
  let payers = 0;
  for (let i = 0; i < ids.length; i += 6) {
    await database.db.execute(sql`insert into orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
      values (${ids[i]!}, ${courseId}, 19900, 'CNY', 'manual', 'paid', ${at})`);
    payers += 1;
  }
  // The dashboard's funnel counts everyone who got at least as far as a step (a buyer has viewed and checked out).
  const reached = (isPast: (i: number) => boolean) => Array.from({ length: followers }, (_, i) => i).filter(isPast).length;
  return {
    ids,
    expected: {
      active: followers,
      engaged: reached((i) => i % 2 === 0 || i % 3 === 0 || i % 4 === 0),
      viewed: reached((i) => i % 3 === 0 || i % 4 === 0 || i % 6 === 0),
      checkout: reached((i) => i % 4 === 0 || i % 6 === 0),
      purchase: payers,
    },
  };
}
