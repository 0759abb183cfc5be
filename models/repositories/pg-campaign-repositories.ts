import { PgCoursePurchaseRates } from './pg-course-purchase-rates.js';
import type { Db } from '../database.js';
import { PgCampaignAudience } from './pg-campaign-audience.js';
import { PgCapLedger, PgGuardSettings } from './pg-campaign-cap-ledger.js';
import { PgCampaignContent } from './pg-campaign-content.js';
import { PgCampaignRepository } from './pg-campaign-repository.js';
import { PgRetargetingRules } from './pg-campaign-rules.js';
import { PgOutboxRepository } from './pg-outbox-repository.js';
import { PgScheduleRepository } from './pg-schedule-repository.js';
import { PgCampaignReports } from './pg-campaign-reports.js';
import { PgCoursePaths } from './pg-course-paths.js';

/** Every campaign-side repository over one database. */
export function createCampaignRepositories(db: Db) {
  return {
    audience: new PgCampaignAudience(db),
    campaigns: new PgCampaignRepository(db),
    content: new PgCampaignContent(db),
    rules: new PgRetargetingRules(db),
    outbox: new PgOutboxRepository(db),
    caps: new PgCapLedger(db),
    guardSettings: new PgGuardSettings(db),
    schedules: new PgScheduleRepository(db),
    reports: new PgCampaignReports(db),
    purchaseRates: new PgCoursePurchaseRates(db),
    paths: new PgCoursePaths(db),
  };
}

export type CampaignRepositories = ReturnType<typeof createCampaignRepositories>;
export { PgCampaignReports, PgCampaignAudience, PgCapLedger, PgGuardSettings, PgCampaignContent, PgCampaignRepository, PgRetargetingRules, PgOutboxRepository, PgScheduleRepository };
export type { ScheduleRecord, ScheduleRun } from './pg-schedule-repository.js';
