import { Router, type RequestHandler } from 'express';
import type { CourseRepository, EntitlementRepository, FollowerRepository, Recommender } from '../../../core/index.js';
import { courseTitle, NotFoundError, reasonText } from '../../../core/index.js';
import { courseListQuery } from '../routes/courses.js';
import { toCourseDto } from './course-dto.js';
import { localeQuery, recommendationsQuery, type recommendationList } from './schemas.js';
import { sessionOf } from './session-auth.js';
import type { z } from 'zod';

export interface CatalogueDeps {
  courses: CourseRepository;
  entitlements: EntitlementRepository;
  recommender: Recommender;
  followers: Pick<FollowerRepository, 'findById'>;
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
    const [owned, follower] = await Promise.all([deps.entitlements.ownedCourseIds(followerId), deps.followers.findById(followerId)]);
    // The follower's own language unless the page asks for another.
    const locale = query.locale ?? (follower?.locale === 'en' ? 'en' : 'zh-CN');
    const picks = await deps.recommender.recommend(followerId, { limit: query.limit, locale, excludeCourseIds: [...owned], shownOn: 'miniprogram', ...(follower ? { follower } : {}) });
    // The picked courses and the ones their reasons name, in one read.
    const courses = await deps.courses.findByIds([...new Set(picks.flatMap((p) => [p.courseId, ...(p.reason.params['courseId'] ? [p.reason.params['courseId']] : [])]))]);
    const titleOf = (id: string) => {
      const course = courses.get(id);
      return course ? courseTitle(course, locale) : undefined;
    };
    const items: z.infer<typeof recommendationList>['items'] = [];
    for (const pick of picks) {
      const course = courses.get(pick.courseId);
      if (owned.has(pick.courseId) || !course || course.status !== 'on_sale') continue;
      items.push({ course: toCourseDto(course, locale), score: pick.score, reason: pick.reason, reasonText: reasonText(pick.reason, locale, titleOf), source: pick.source });
    }
    res.json({ items });
  });
  return router;
}
