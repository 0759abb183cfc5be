import { Router } from 'express';
import { z } from 'zod';
import { courseLearningReport, type Clock, type ConsoleUnitOfWork, type LearningReportRepository } from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { courseFor } from './admin-courses.js';
import { idParam } from './pagination.js';

export const courseLearningQuery = z.object({
  /** Learners with an open lesson and no learning for this many days are listed as stuck. */
  stuckDays: z.coerce.number().int().min(1).max(365).default(7),
});

/**
 * `GET /courses/:id/learning?stuckDays=7`: the course's learners, the completion funnel by lesson
 * (each step a subset of the one before) and who is stuck, longest idle first (at most 100). The
 * same ownership rule as the course: creators see their own courses, another creator's is 403.
 */
export function createCourseLearningRouter(deps: { uow: ConsoleUnitOfWork; reports: LearningReportRepository; clock: Clock }): Router {
  const router = Router();
  router.get('/courses/:id/learning', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const { stuckDays } = courseLearningQuery.parse(req.query);
    const { course, outline } = await deps.uow.run(async (r) => {
      const owned = await courseFor(r, principalOf(req), id);
      return { course: owned, outline: await r.content.outline(id) };
    });
    const report = courseLearningReport(course, outline, await deps.reports.courseLearners(id), deps.clock.now(), stuckDays);
    res.json({
      ...report,
      course: { id: course.id, titleZh: course.titleZh, titleEn: course.titleEn, pacing: course.pacing.kind },
      stuckCount: report.stuck.length,
      stuck: report.stuck.slice(0, 100).map((s) => ({ ...s, lastActivityAt: s.lastActivityAt?.toISOString() ?? null })),
    });
  });
  return router;
}
