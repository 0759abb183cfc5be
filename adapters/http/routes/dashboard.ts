import { Router } from 'express';
import { z } from 'zod';
import type { Clock, ConsoleUnitOfWork, DashboardQueries } from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { HttpError } from '../errors.js';

export const dashboardQuery = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

const DAY_MS = 86_400_000;

/**
 * `GET /dashboard?from&to` (UTC dates, `to` inclusive, default the last 30 days): followers over
 * time by platform, the funnel, revenue by day and course, conversion by segment, top courses.
 * Creators see course figures for their own courses only.
 */
export function createDashboardRouter(deps: { dashboard: DashboardQueries; uow: ConsoleUnitOfWork; clock: Clock }): Router {
  const router = Router();
  router.get('/dashboard', async (req, res) => {
    const principal = principalOf(req);
    const query = dashboardQuery.parse(req.query);
    const today = new Date(deps.clock.now().toISOString().slice(0, 10));
    const to = query.to ? new Date(new Date(query.to).getTime() + DAY_MS) : new Date(today.getTime() + DAY_MS);
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw new HttpError(400, 'invalid_range', '`from` must be on or before `to`.');
    if (to.getTime() - from.getTime() > 366 * DAY_MS) throw new HttpError(400, 'range_too_long', 'Ask for at most 366 days at once.');
    let courseIds: string[] | undefined;
    if (principal.role !== 'admin') {
      courseIds = [];
      for (let page = 1; ; page += 1) {
        const batch = await deps.uow.run((r) => r.courses.list({ page, pageSize: 100, creatorId: principal.id ?? undefined }));
        courseIds.push(...batch.items.map((c) => c.id));
        if (courseIds.length >= batch.total || batch.items.length === 0) break;
      }
    }
    const data = await deps.dashboard.load({ from, to, courseIds });
    res.json({ from: from.toISOString(), to: to.toISOString(), scope: courseIds ? 'own_courses' : 'all', ...data });
  });
  return router;
}
