import path from 'node:path';
import { createMetrics, createLogger, type Logger, type Metrics } from '../adapters/index.js';
import { systemClock, type Clock, type Repositories, type RecordEventsDeps, type UnitOfWork } from '../core/index.js';
import { createRepositories, migrate, openDatabase, PgUnitOfWork, seedDemoAudience, seedDemoCatalogue, seedDemoLearning, type Database } from '../models/index.js';
import type { Config } from './config/index.js';

/** What every process shares: config, logger, metrics, the database and the core's dependencies. */
export interface CoreContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  database: Database;
  clock: Clock;
  repos: Repositories;
  uow: UnitOfWork;
  recordEventsDeps: RecordEventsDeps;
}

/**
 * Opens the database (PGlite under DATA_DIR, or DATABASE_URL), applies migrations, seeds the demo
 * catalogue when asked, and wires the core.
 *
 * @example
 * const ctx = await openCoreContext(loadConfig());
 */
export async function openCoreContext(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<CoreContext> {
  const database = await openDatabase({
    databaseUrl: config.database.url,
    dataDir: config.database.url ? undefined : path.join(config.dataDir, 'pglite'),
    poolSize: config.database.poolSize,
  });
  logger.info({ database: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined }, 'database open');
  const applied = await migrate(database);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
  if (config.seedDemoData) {
    const added = await seedDemoCatalogue(database.db);
    logger.info({ added }, added ? 'demo catalogue seeded' : 'demo catalogue already present');
    const startedAt = Date.now();
    const followers = await seedDemoAudience({ db: database.db, clock: systemClock });
    if (followers) logger.info({ followers, ms: Date.now() - startedAt }, 'demo audience seeded (followers, events, orders)');
    const lessons = await seedDemoLearning({ db: database.db, clock: systemClock });
    if (lessons) logger.info({ lessons }, 'demo lessons and learners seeded');
  }
  const metrics = createMetrics();
  const clock = systemClock;
  const uow = new PgUnitOfWork(database.db);
  return {
    config,
    logger,
    metrics,
    database,
    clock,
    repos: createRepositories(database.db),
    uow,
    recordEventsDeps: { uow, clock, metrics: metrics.core },
  };
}
