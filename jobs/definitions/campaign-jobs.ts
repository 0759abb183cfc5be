import { enqueueBroadcast, scanRetargeting } from '../../core/campaigns/index.js';
import type { Clock, Logger } from '../../core/index.js';
import type { CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import type { JobDefinition } from '../job-types.js';

export interface CampaignJobDeps {
  repos: CampaignRepositories;
  clock: Clock;
  logger: Logger;
  retargetingLimitPerRule: number;
}

/** The retargeting scan: enqueues messages for followers each enabled rule matches now. */
export function retargetingScanJob(deps: CampaignJobDeps): JobDefinition {
  return {
    name: 'retargeting-scan',
    description: 'Finds followers matching retargeting rules and enqueues their messages',
    defaultCron: '*/15 * * * *',
    defaultTimeZone: 'UTC',
    run: async () => {
      const result = await scanRetargeting(
        { rules: deps.repos.rules, outbox: deps.repos.outbox, clock: deps.clock, logger: deps.logger, settings: deps.repos.guardSettings },
        { limitPerRule: deps.retargetingLimitPerRule },
      );
      return { outcome: 'ok', result };
    },
  };
}

/**
 * The broadcast dispatcher's periodic part: finishes enqueueing broadcasts whose planning was
 * interrupted (idempotent), and marks broadcasts with nothing left to send as completed. Sending
 * itself is the continuous outbox dispatcher.
 */
export function broadcastDispatcherJob(deps: CampaignJobDeps): JobDefinition {
  return {
    name: 'broadcast-dispatcher',
    description: 'Plans scheduled broadcasts that are due and completes finished ones',
    defaultCron: '* * * * *',
    defaultTimeZone: 'UTC',
    run: async () => {
      const resumed: string[] = [];
      for (const campaign of await deps.repos.campaigns.listUnenqueued(10)) {
        await enqueueBroadcast({ campaigns: deps.repos.campaigns, audience: deps.repos.audience, outbox: deps.repos.outbox, clock: deps.clock, settings: deps.repos.guardSettings }, campaign.id);
        resumed.push(campaign.id);
      }
      const completed = await deps.repos.campaigns.completeFinished(deps.clock.now());
      return { outcome: 'ok', result: { enqueued: resumed, completed } };
    },
  };
}

/** Recomputes lifecycle stage and interest tags per follower into follower_segments. */
export function segmentRefreshJob(deps: CampaignJobDeps): JobDefinition {
  return {
    name: 'segment-refresh',
    description: 'Recomputes lifecycle stage and interest tags per follower',
    defaultCron: '0 * * * *',
    defaultTimeZone: 'UTC',
    run: async () => ({ outcome: 'ok', result: await deps.repos.reports.refreshFollowerSegments(deps.clock.now()) }),
  };
}

/** Yesterday's figures (in `timeZone`) from followers, events, orders and the outbox. */
export function dailyReportJob(deps: CampaignJobDeps & { reportTimeZone: string; startOfLocalDay: (instant: Date, timeZone: string) => Date }): JobDefinition {
  return {
    name: 'daily-report',
    description: "Computes yesterday's followers, events, orders, revenue and sends",
    defaultCron: '0 8 * * *',
    defaultTimeZone: deps.reportTimeZone,
    run: async () => {
      const to = deps.startOfLocalDay(deps.clock.now(), deps.reportTimeZone);
      const from = deps.startOfLocalDay(new Date(to.getTime() - 12 * 3_600_000), deps.reportTimeZone);
      const report = await deps.repos.reports.dailyReport(from, to);
      deps.logger.info({ report }, 'daily report');
      return { outcome: 'ok', result: { ...report } };
    },
  };
}

/**
 * Retrains the recommender through `retrain` when the recommender module provides one; otherwise
 * every run is recorded as `not_available` with the reason, rather than pretending.
 */
export function modelRetrainJob(retrain: (() => Promise<Record<string, unknown>>) | undefined, unavailableReason: string): JobDefinition {
  return {
    name: 'model-retrain',
    description: 'Retrains the recommender',
    defaultCron: '0 3 * * *',
    defaultTimeZone: 'Asia/Shanghai',
    run: async () => (retrain ? { outcome: 'ok', result: await retrain() } : { outcome: 'not_available', result: { reason: unavailableReason } }),
  };
}
