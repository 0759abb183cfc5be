import { hostname } from 'node:os';
import { Counter } from 'prom-client';
import { Router } from 'express';
import { requireRole, type Mount } from '../adapters/index.js';
import { WechatHandoff } from '../adapters/wechat/index.js';
import { createBroadcastsRouter, type CampaignApiDeps } from '../adapters/http/routes/broadcasts.js';
import { createExperimentsRouter } from '../adapters/http/routes/experiments.js';
import { createRecommenderExperimentsRouter, type RecommenderExperimentApiDeps } from '../adapters/http/routes/recommender-experiments.js';
import { createRetargetingRulesRouter } from '../adapters/http/routes/retargeting-rules.js';
import { createSchedulesRouter, type SchedulesApiDeps } from '../adapters/http/routes/schedules.js';
import { createSegmentsPreviewRouter } from '../adapters/http/routes/segments-preview.js';
import { fromWallTime, toWallTime } from '../core/guards/index.js';
import type { Platform, Messenger } from '../core/index.js';
import {
  broadcastDispatcherJob, CronScheduler, dailyReportJob, lessonRemindersJob, modelRetrainJob, OutboxDispatcher, referralCommissionsJob, retargetingScanJob, segmentRefreshJob, type JobDefinition,
} from '../jobs/index.js';
import { PgReplyQueue, type Db } from '../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../models/repositories/pg-campaign-repositories.js';
import type { CoreContext } from './core-context.js';
import type { Wiring } from './wiring.js';

/** The campaign paths under /api that only admins may use: they act on every follower or on the whole system. */
// Recommender experiments change what every follower is served, whichever creator's courses: admins only.
const ADMIN_ONLY_CAMPAIGN_PATHS = ['/retargeting-rules', '/schedules', '/guard-settings', '/recommender-experiments'];

/**
 * The console routers of campaigns: broadcasts, segment preview, experiments, retargeting rules,
 * schedules and guard settings. Broadcasts carry their creator: a creator composes (segment
 * preview included), lists, controls and reads results of their own broadcasts only, and gets 404
 * for another creator's (the routes check, see broadcasts.ts). Retargeting rules, schedules and
 * guard settings have no owner and are for admins only; a creator gets 403. With
 * `recommenderExperiments`, also the recommender experiments, for admins only: a variant changes
 * what every consenting follower is served, across every creator's courses.
 */
export function createCampaignMounts(deps: CampaignApiDeps & Pick<SchedulesApiDeps, 'scheduler' | 'audit'> & { recommenderExperiments?: RecommenderExperimentApiDeps }): Mount[] {
  // Scoped to these paths, so other /api mounts after these still serve creators.
  const adminsOnly = Router().use(ADMIN_ONLY_CAMPAIGN_PATHS, requireRole('admin'));
  return [
    { path: '/api', router: adminsOnly, access: 'admin' },
    { path: '/api', router: createBroadcastsRouter(deps), access: 'admin' },
    { path: '/api', router: createSegmentsPreviewRouter(deps), access: 'admin' },
    { path: '/api', router: createExperimentsRouter(deps), access: 'admin' },
    { path: '/api', router: createRetargetingRulesRouter(deps), access: 'admin' },
    { path: '/api', router: createSchedulesRouter(deps), access: 'admin' },
    ...(deps.recommenderExperiments ? [{ path: '/api', router: createRecommenderExperimentsRouter(deps.recommenderExperiments), access: 'admin' as const }] : []),
  ];
}

/** Start of the local day that `instant` falls in, in `timeZone`. */
function startOfLocalDay(instant: Date, timeZone: string): Date {
  const w = toWallTime(instant, timeZone);
  return fromWallTime({ year: w.year, month: w.month, day: w.day, hour: 0, minute: 0 }, timeZone);
}

/**
 * The messengers lesson reminders go through: the process's own, plus — in a process without the
 * WeChat session (the worker) while a WeChat bot runs elsewhere (`isWechatBotEnabled`) — a hand-off
 * to that process through `reply_queue`. Only reminders use the hand-off: WeChat marketing stays
 * with the WeChat process's own dispatcher (its caps and pacing decide per send).
 */
export function reminderMessengers(options: { isWechatBotEnabled: boolean; db: Db }, messengers: ReadonlyMap<Platform, Messenger>): ReadonlyMap<Platform, Messenger> {
  if (messengers.has('wechat') || !options.isWechatBotEnabled) return messengers;
  return new Map([...messengers, ['wechat', new WechatHandoff(new PgReplyQueue(options.db))]]);
}

type Retrain = () => Promise<{ version: number; metrics: Record<string, unknown> }>;

/**
 * The job bodies, over campaign repositories; lesson reminders go through the messengers the
 * process has, WeChat ones handed to the WeChat process when this one has no session
 * ({@link reminderMessengers}); a reminder to a platform with neither is left for a process that has it.
 */
export function buildJobs(ctx: CoreContext, repos: CampaignRepositories, retrain: Retrain | undefined, wiring?: Pick<Wiring, 'learning' | 'messengers'>): JobDefinition[] {
  const deps = { repos, clock: ctx.clock, logger: ctx.logger.child({ component: 'jobs' }), retargetingLimitPerRule: ctx.config.jobs.retargetingLimitPerRule };
  return [
    retargetingScanJob(deps),
    broadcastDispatcherJob(deps),
    segmentRefreshJob(deps),
    modelRetrainJob(retrain ? async () => ({ ...(await retrain()) }) : undefined, 'no recommender is wired in this process (wireRecommender runs before wireJobs)'),
    dailyReportJob({ ...deps, reportTimeZone: ctx.config.jobs.reportTimeZone, startOfLocalDay }),
    lessonRemindersJob(
      wiring?.learning
        ? {
            learning: wiring.learning.deps,
            reminders: wiring.learning.reminders,
            events: ctx.repos.events,
            quietHours: async () => (await repos.guardSettings.get()).quietHours,
            messengers: reminderMessengers({ isWechatBotEnabled: ctx.config.wechat.bot.isEnabled, db: ctx.database.db }, wiring.messengers),
            links: wiring.learning.links,
            logger: ctx.logger.child({ component: 'lesson-reminders' }),
          }
        : undefined,
      ctx.config.learning.reminders,
    ),
    referralCommissionsJob({ uow: ctx.uow, clock: ctx.clock }),
  ];
}

/** The outbox dispatcher over the messengers registered so far. */
export function buildDispatcher(ctx: CoreContext, repos: CampaignRepositories, messengers: ReadonlyMap<Platform, Messenger>, onOutcome?: (outcome: string) => void): OutboxDispatcher {
  const d = ctx.config.jobs.dispatch;
  return new OutboxDispatcher(
    {
      outbox: repos.outbox,
      caps: repos.caps,
      guardSettings: repos.guardSettings,
      content: repos.content,
      courses: ctx.repos.courses,
      messengers,
      // The one recommender chain, for variants that pick each follower's own course.
      recommender: ctx.recommender,
      crossSell: repos.rules,
      rates: repos.purchaseRates,
      nextInPath: repos.paths,
      // Variants that offer a coupon show each follower the price after it.
      coupons: ctx.repos.coupons,
      clock: ctx.clock,
      logger: ctx.logger.child({ component: 'outbox' }),
      ...(onOutcome ? { onOutcome } : {}),
    },
    { batchSize: d.batchSize, leaseMs: d.leaseMs, concurrency: d.concurrency, maxAttempts: d.maxAttempts, idleMs: d.idleMs },
  );
}

/** {@link buildDispatcher} with its outcomes counted in /metrics. */
function countedDispatcher(ctx: CoreContext, repos: CampaignRepositories, messengers: ReadonlyMap<Platform, Messenger>): OutboxDispatcher {
  const messages = new Counter({
    name: 'zhiliao_campaign_messages_total',
    help: 'Marketing messages handled by the outbox dispatcher, by outcome',
    labelNames: ['outcome'] as const,
    registers: [ctx.metrics.registry],
  });
  return buildDispatcher(ctx, repos, messengers, (outcome) => {
    messages.inc({ outcome });
    if (outcome === 'failed' || outcome === 'batch_error') ctx.metrics.errors.inc({ source: 'send', code: `campaign_${outcome}` });
  });
}

/**
 * The outbox dispatcher alone, for a process whose messenger no other process has: the WeChat
 * process holds the logged-in wechaty session, so WeChat marketing is sent from there. It takes
 * only messages for its own platforms (DISPATCH_ENABLED); schedules stay with the worker.
 *
 * @example
 * await wireWechat(ctx, wiring);
 * wireDispatcher(ctx, wiring);
 */
export function wireDispatcher(ctx: CoreContext, wiring: Wiring): void {
  const platforms = [...wiring.messengers.keys()];
  if (!ctx.config.jobs.dispatch.isEnabled || platforms.length === 0) return;
  const dispatcher = countedDispatcher(ctx, createCampaignRepositories(ctx.database.db), wiring.messengers);
  wiring.services.push({ name: 'outbox-dispatcher', start: () => dispatcher.start(), stop: () => dispatcher.stop() });
  wiring.channels.push({ channel: 'jobs', isOn: true, reason: `dispatcher on via ${platforms.join(', ')} (marketing messages to these platforms only)` });
}

/**
 * Campaigns in a process: the admin routes, and (JOBS_ENABLED / DISPATCH_ENABLED) the node-cron
 * scheduler and the outbox dispatcher as services. Runs after the chat channels, whose messengers
 * the dispatcher sends through.
 *
 * @example
 * await wireJobs(ctx, wiring);
 */
export async function wireJobs(ctx: CoreContext, wiring: Wiring): Promise<void> {
  const config = ctx.config.jobs;
  const repos = createCampaignRepositories(ctx.database.db);
  const dispatcher = config.dispatch.isEnabled ? countedDispatcher(ctx, repos, wiring.messengers) : undefined;
  const scheduler = config.isEnabled
    ? new CronScheduler({
        schedules: repos.schedules,
        jobs: buildJobs(ctx, repos, wiring.retrainRecommender ? () => wiring.retrainRecommender!() : undefined, wiring),
        logger: ctx.logger.child({ component: 'scheduler' }),
        clock: ctx.clock,
        instanceId: config.instanceId ?? `${hostname()}:${process.pid}`,
        reloadIntervalMs: config.reloadIntervalMs,
        onError: (job) => ctx.metrics.errors.inc({ source: 'cron', code: job }),
      })
    : undefined;
  wiring.mounts.push(
    ...createCampaignMounts({
      repos, courses: ctx.repos.courses, clock: ctx.clock, recommender: ctx.recommender, audit: ctx.repos.audit, coupons: ctx.repos.coupons, onEnqueued: () => dispatcher?.poke(),
      recommenderExperiments: { experiments: ctx.recommenderEngine.experiments.repository, clock: ctx.clock, onChanged: ctx.recommenderEngine.experiments.invalidate },
      ...(scheduler ? { scheduler } : {}),
    }),
  );
  if (scheduler) wiring.services.push({ name: 'job-scheduler', start: () => scheduler.start(), stop: () => scheduler.stop() });
  if (dispatcher) wiring.services.push({ name: 'outbox-dispatcher', start: () => dispatcher.start(), stop: () => dispatcher.stop() });
  const platforms = [...wiring.messengers.keys()];
  wiring.channels.push({
    channel: 'jobs',
    isOn: Boolean(scheduler || dispatcher),
    reason: [
      scheduler ? `scheduler on (reload every ${config.reloadIntervalMs} ms)` : 'scheduler off (JOBS_ENABLED=false)',
      dispatcher ? `dispatcher on via ${platforms.length ? platforms.join(', ') : 'no messenger yet: marketing messages wait'}` : 'dispatcher off (DISPATCH_ENABLED=false)',
    ].join('; '),
  });
}
