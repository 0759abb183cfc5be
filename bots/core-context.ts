import path from 'node:path';
import { createMetrics, createLogger, type Logger, type Metrics } from '../adapters/index.js';
import { OpenAiChatModel } from '../adapters/outbound/index.js';
import { DEMO_ANOMALY_BASELINE, loadRiskSettings, RiskMonitor, systemClock, type Clock, type LanguageModel, type Recommender, type Repositories, type RecordEventsDeps, type UnitOfWork } from '../core/index.js';
import { createRepositories, migrate, openDatabase, PgRiskStore, PgRiskUnitOfWork, PgUnitOfWork, seedDemoAudience, seedDemoCatalogue, seedDemoLearning, type Database } from '../models/index.js';
import type { Config } from './config/index.js';
import { buildRecommender } from './wire-recommender.js';

/** What every process shares: config, logger, metrics, the database and the core's dependencies. */
export interface CoreContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  database: Database;
  clock: Clock;
  repos: Repositories;
  uow: UnitOfWork;
  /** Every recorded event is scored by `recordEventsDeps.risk` (the same {@link CoreContext.risk}). */
  recordEventsDeps: RecordEventsDeps;
  /** The risk scorer of this process: in memory, its decisions written in the background. */
  risk: RiskMonitor;
  /** The one recommender chain every channel serves from (see {@link buildRecommender}). */
  recommender: Recommender;
  /** Its engine's artifacts and full retrain, for the processes that train. */
  recommenderEngine: Omit<ReturnType<typeof buildRecommender>, 'recommender'>;
  /** The optional language model for free questions (LLM_BASE_URL and LLM_MODEL); undefined when off. */
  languageModel?: LanguageModel;
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
  const ctx = createCoreContext(config, database, logger);
  // The scorer starts with the stored thresholds and decisions (flagged, blocked, cleared).
  ctx.risk.useSettings(await loadRiskSettings(new PgRiskUnitOfWork(database.db)));
  await ctx.risk.refresh();
  return ctx;
}

/**
 * The core's dependencies over an open, migrated database: what {@link openCoreContext} returns,
 * and what tests build over their own database so they wire exactly what a process wires.
 *
 * @example
 * const ctx = createCoreContext(loadConfig({ LOG_LEVEL: 'silent' }), database, logger);
 */
export function createCoreContext(config: Config, database: Database, logger: Logger, clock: Clock = systemClock): CoreContext {
  const metrics = createMetrics();
  const uow = new PgUnitOfWork(database.db);
  const repos = createRepositories(database.db);
  const { recommender, ...recommenderEngine } = buildRecommender({
    db: database.db,
    repos,
    clock,
    logger: logger.child({ component: 'recommender' }),
    onStageFailed: (stage) => metrics.errors.inc({ source: 'recommender', code: `${stage}_failed` }),
    onExperimentError: (code) => metrics.errors.inc({ source: 'recommender', code }),
  });
  const risk = new RiskMonitor({ clock, logger: logger.child({ component: 'risk' }), store: new PgRiskStore(database.db), baseline: DEMO_ANOMALY_BASELINE });
  return {
    config,
    logger,
    metrics,
    database,
    clock,
    repos,
    uow,
    recordEventsDeps: { uow, clock, metrics: metrics.core, risk },
    risk,
    recommender,
    recommenderEngine,
    ...(config.llm ? { languageModel: new OpenAiChatModel({ ...config.llm, logger: logger.child({ component: 'language-model' }) }) } : {}),
  };
}
