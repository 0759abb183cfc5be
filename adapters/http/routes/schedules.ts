import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog, Clock } from '../../../core/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../core/index.js';
import { parseTimeOfDay } from '../../../core/guards/index.js';
import { nextRunTimes } from '../../../jobs/schedule-validation.js';
import type { CampaignRepositories, ScheduleRecord, ScheduleRun } from '../../../models/repositories/pg-campaign-repositories.js';

export interface SchedulesApiDeps {
  repos: Pick<CampaignRepositories, 'schedules' | 'guardSettings'>;
  clock: Clock;
  /** The scheduler of this process, when it runs one: "run now" and immediate reloads go through it. */
  scheduler?: { runNow(name: string): Promise<ScheduleRun | null>; reload(): Promise<void> };
  /** Where guard-settings changes are recorded, with who made them. */
  audit?: AuditLog;
}

const nameParam = z.object({ name: z.string().regex(/^[a-z0-9-]{1,64}$/, 'schedule names are lowercase words joined by -') });
export const schedulePatchBody = z
  .object({ cron: z.string().trim().min(1).max(100).optional(), timezone: z.string().trim().min(1).max(64).optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.cron !== undefined || b.timezone !== undefined || b.enabled !== undefined, { message: 'give cron, timezone or enabled' });
export const scheduleRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
const timeOfDay = z.string().refine((v) => {
  try {
    parseTimeOfDay(v);
    return true;
  } catch {
    return false;
  }
}, 'expected HH:MM');
export const guardBody = z.object({
  dailyCap: z.number().int().min(0).max(100),
  weeklyCap: z.number().int().min(0).max(500),
  quietHours: z.object({ start: timeOfDay, end: timeOfDay }),
  /** Percent of followers in the global control group (no marketing); unchanged when left out. */
  controlPercent: z.number().int().min(0).max(50).optional(),
});

function scheduleJson(s: ScheduleRecord, now: Date) {
  const next = nextRunTimes(s.cron, s.timeZone, now, 5);
  return {
    name: s.name,
    cron: s.cron,
    timezone: s.timeZone,
    enabled: s.isEnabled,
    description: s.description,
    lastFiredAt: s.lastFiredAt?.toISOString() ?? null,
    updatedAt: s.updatedAt.toISOString(),
    nextRuns: s.isEnabled && next.ok ? next.times.map((t) => t.toISOString()) : [],
  };
}

const runJson = (r: ScheduleRun) => ({ ...r, tickAt: r.tickAt.toISOString(), startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null });

/**
 * Admin schedules: `GET /schedules`, `PATCH /schedules/:name` ({cron, timezone, enabled}, validated,
 * answering the next 5 run times), `POST /schedules/:name/run`, `GET /schedules/:name/runs`; and the
 * guard settings (caps, quiet hours): `GET/PUT /guard-settings`.
 */
export function createSchedulesRouter(deps: SchedulesApiDeps): Router {
  const router = Router();
  const { schedules, guardSettings } = deps.repos;

  router.get('/schedules', async (_req, res) => {
    const now = deps.clock.now();
    res.json({ items: (await schedules.list()).map((s) => scheduleJson(s, now)) });
  });

  router.patch('/schedules/:name', async (req, res) => {
    const { name } = nameParam.parse(req.params);
    const body = schedulePatchBody.parse(req.body);
    const current = await schedules.get(name);
    if (!current) throw new NotFoundError('schedule_not_found', `No schedule named ${name}; GET /api/schedules lists them.`);
    const cronText = body.cron ?? current.cron;
    const timeZone = body.timezone ?? current.timeZone;
    const next = nextRunTimes(cronText, timeZone, deps.clock.now(), 5);
    if (!next.ok) throw new ValidationError('invalid_schedule', next.message, { cron: cronText, timezone: timeZone });
    const updated = (await schedules.update(name, { cron: body.cron, timeZone: body.timezone, isEnabled: body.enabled }))!;
    // Other processes pick the change up on their next reload; this one applies it now.
    await deps.scheduler?.reload();
    res.json(scheduleJson(updated, deps.clock.now()));
  });

  router.post('/schedules/:name/run', async (req, res) => {
    const { name } = nameParam.parse(req.params);
    if (!(await schedules.get(name))) throw new NotFoundError('schedule_not_found', `No schedule named ${name}; GET /api/schedules lists them.`);
    if (!deps.scheduler) throw new ConflictError('scheduler_not_running', 'This process runs no job scheduler (JOBS_ENABLED=false); run the job from a worker or all-in-one process.');
    const run = await deps.scheduler.runNow(name);
    if (!run) throw new NotFoundError('job_not_registered', `The schedule ${name} has no job registered in this process.`);
    res.json(runJson(run));
  });

  router.get('/schedules/:name/runs', async (req, res) => {
    const { name } = nameParam.parse(req.params);
    const { limit } = scheduleRunsQuery.parse(req.query);
    if (!(await schedules.get(name))) throw new NotFoundError('schedule_not_found', `No schedule named ${name}; GET /api/schedules lists them.`);
    res.json({ items: (await schedules.listRuns(name, limit)).map(runJson) });
  });

  router.get('/guard-settings', async (_req, res) => {
    res.json(await guardSettings.get());
  });
  router.put('/guard-settings', async (req, res) => {
    const body = guardBody.parse(req.body);
    const before = await guardSettings.get();
    const after = await guardSettings.update(body);
    await deps.audit?.record({ actor: req.account?.actor ?? 'admin', action: 'settings.guards', subjectType: 'settings', subjectId: 'guards', details: { from: before, to: after } });
    res.json(after);
  });
  return router;
}
