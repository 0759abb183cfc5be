import { Router, type RequestHandler } from 'express';
import type { Course, CourseRepository, FollowerRepository, Recommendation, Recommender } from '../../../core/index.js';
import { courseTitle, NotFoundError, reasonText } from '../../../core/index.js';
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
      deps.recommender.recommend(followerId, { limit: query.limit, shownOn: 'miniprogram', ...(query.locale ? { locale: query.locale } : {}) }),
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

/**
 * The picked courses and the ones their reasons name: those the recommender already held, and
 * the rest (a reason naming a course off sale, a stage that held none) in one read, only if any.
 */
async function coursesNamedBy(picks: readonly Recommendation[], courses: Pick<CourseRepository, 'findByIds'>): Promise<Map<string, Course>> {
  const held = new Map(picks.flatMap((p) => p.courses ?? []).map((c) => [c.id, c]));
  const named = picks.flatMap((p) => [p.courseId, ...(p.reason.params['courseId'] ? [p.reason.params['courseId']] : [])]);
  const missing = [...new Set(named)].filter((id) => !held.has(id));
  if (missing.length === 0) return held;
  for (const [id, course] of await courses.findByIds(missing)) held.set(id, course);
  return held;
}
