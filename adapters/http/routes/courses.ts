import { Router } from 'express';
import { z } from 'zod';
import { COURSE_STATUSES, type CourseRepository } from '../../../core/index.js';

/** Query of a paged course list, shared by the admin API and the mini-program. */
export const courseListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(COURSE_STATUSES).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(40).optional(),
});

/** `GET /courses?page&pageSize&status&q&tag` — the catalogue, paged. */
export function createCoursesRouter(deps: { courses: CourseRepository }): Router {
  const router = Router();
  router.get('/courses', async (req, res) => {
    const query = courseListQuery.parse(req.query);
    res.json(await deps.courses.list({ page: query.page, pageSize: query.pageSize, status: query.status, search: query.q, tag: query.tag }));
  });
  return router;
}
