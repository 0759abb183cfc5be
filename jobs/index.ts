export { CronScheduler, type CronSchedulerDeps } from './cron-scheduler.js';
export { OutboxDispatcher } from './outbox-dispatcher.js';
export { nextRunTimes, isKnownTimeZone } from './schedule-validation.js';
export type { JobDefinition, JobResult } from './job-types.js';
export { broadcastDispatcherJob, dailyReportJob, modelRetrainJob, retargetingScanJob, segmentRefreshJob, type CampaignJobDeps } from './definitions/campaign-jobs.js';
export { lessonRemindersJob } from './definitions/learning-jobs.js';
export { referralCommissionsJob } from './definitions/referral-jobs.js';
