import type { Express } from 'express';
import { createCoreApiRouter, createHttpApp, createLogger, createMetrics, type Logger, type Metrics, type Mount } from '../../adapters/index.js';
import { systemClock, type Clock, type Repositories, type RecordEventsDeps } from '../../core/index.js';
import { createRepositories, PgUnitOfWork, type Database } from '../../models/index.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestApp {
  app: Express;
  metrics: Metrics;
  repos: Repositories;
  recordEventsDeps: RecordEventsDeps;
  auth: { Authorization: string };
}

/**
 * The real express app over a test database, with the foundation's /api routers plus any extra mounts.
 *
 * @example
 * const { app, auth } = createTestApp(database);
 * await request(app).get('/api/courses').set(auth).expect(200);
 */
export function createTestApp(database: Database, options: { clock?: Clock; mounts?: Mount[]; logger?: Logger } = {}): TestApp {
  const metrics = createMetrics();
  const clock = options.clock ?? systemClock;
  const repos = createRepositories(database.db);
  const recordEventsDeps: RecordEventsDeps = { uow: new PgUnitOfWork(database.db), clock, metrics: metrics.core };
  const api = createCoreApiRouter({ recordEventsDeps, ...repos, clock });
  const app = createHttpApp({
    logger: options.logger ?? createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent'),
    metrics,
    checkReadiness: () => database.ping(),
    adminApiToken: TEST_ADMIN_TOKEN,
    mounts: [{ path: '/api', router: api, access: 'admin' }, ...(options.mounts ?? [])],
  });
  return { app, metrics, repos, recordEventsDeps, auth: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } };
}

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
