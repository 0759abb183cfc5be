import { Router, type RequestHandler } from 'express';
import type { CourseRepository, EntitlementRepository, Recommender } from '../../../core/index.js';
import { NotFoundError } from '../../../core/index.js';
import { courseListQuery } from '../routes/courses.js';
import { toCourseDto } from './course-dto.js';
import { localeQuery, recommendationsQuery, type recommendationList } from './schemas.js';
import { sessionOf } from './session-auth.js';
import type { z } from 'zod';

export interface CatalogueDeps {
  courses: CourseRepository;
  entitlements: EntitlementRepository;
  recommender: Recommender;
}

const mpCourseQuery = courseListQuery.omit({ status: true }).extend(localeQuery.shape);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Public catalogue (`GET /courses`, `GET /courses/:id`, only courses on sale) and `GET /recommendations` (session). */
export function createCatalogueRouter(deps: CatalogueDeps, requireSession: RequestHandler): Router {
  const router = Router();
  router.get('/courses', async (req, res) => {
    const query = mpCourseQuery.parse(req.query);
    const page = await deps.courses.list({ page: query.page, pageSize: query.pageSize, status: 'on_sale', search: query.q, tag: query.tag });
    res.json({ ...page, items: page.items.map((c) => toCourseDto(c, query.locale)) });
  });

  router.get('/courses/:id', async (req, res) => {
    const { locale } = localeQuery.parse(req.query);
    const id = String(req.params['id']);
    const course = uuidPattern.test(id) ? await deps.courses.findById(id) : null;
    if (!course || course.status !== 'on_sale') throw new NotFoundError('course_not_found', `No course on sale with id ${id}.`);
    res.json(toCourseDto(course, locale));
  });

  router.get('/recommendations', requireSession, async (req, res) => {
    const query = recommendationsQuery.parse(req.query);
    const { followerId } = sessionOf(res);
    const owned = await deps.entitlements.ownedCourseIds(followerId);
    const picks = await deps.recommender.recommend(followerId, { limit: query.limit, locale: query.locale, excludeCourseIds: [...owned] });
    const items: z.infer<typeof recommendationList>['items'] = [];
    for (const pick of picks) {
      if (owned.has(pick.courseId)) continue;
      const course = await deps.courses.findById(pick.courseId);
      if (!course || course.status !== 'on_sale') continue;
      items.push({ course: toCourseDto(course, query.locale), score: pick.score, reason: pick.reason, source: pick.source });
    }
    res.json({ items });
  });
  return router;
}
