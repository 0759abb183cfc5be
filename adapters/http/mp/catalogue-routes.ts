import { Router, type RequestHandler } from 'express';
import type { CourseRepository, FollowerRepository, Recommender } from '../../../core/index.js';
import { coursesNamedBy, courseTitle, NotFoundError, reasonText } from '../../../core/index.js';
import { courseListQuery } from '../routes/courses.js';
import { toCourseDto } from './course-dto.js';
import { localeQuery, recommendationsQuery, type recommendationList } from './schemas.js';
import { sessionOf } from './session-auth.js';
import type { z } from 'zod';

export interface CatalogueDeps {
  courses: CourseRepository;
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
    // The recommender reads the follower, owned courses, history and persona in one statement and
    // never returns an owned course; the follower's language is read alongside only when the page
    // does not say which one it wants.
    const [follower, picks] = await Promise.all([
      query.locale ? null : deps.followers.findById(followerId),
      deps.recommender.recommend(followerId, { limit: query.limit, shownOn: 'miniprogram' }),
    ]);
    const locale = query.locale ?? (follower?.locale === 'en' ? 'en' : 'zh-CN');
    const courses = await coursesNamedBy(picks, deps.courses);
    const titleOf = (id: string) => {
      const course = courses.get(id);
      return course ? courseTitle(course, locale) : undefined;
    };
    const items: z.infer<typeof recommendationList>['items'] = [];
    for (const pick of picks) {
      const course = courses.get(pick.courseId);
      if (!course || course.status !== 'on_sale') continue;
      items.push({ course: toCourseDto(course, locale), score: pick.score, reason: pick.reason, reasonText: reasonText(pick.reason, locale, titleOf), source: pick.source });
    }
    res.json({ items });
  });
  return router;
}
