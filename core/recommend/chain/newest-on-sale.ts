import type { CourseRepository, EntitlementRepository } from '../../ports/index.js';
import type { Recommendation, Recommender, RecommendOptions } from '../../ports/recommender.js';

/**
 * The last stage of the chain: the newest courses on sale, labelled as exactly that (never as
 * "popular"). Needs nothing but the catalogue, so it answers when everything else is down or empty.
 * Being last, it applies the caller's `fits` itself before taking the newest: the chain keeps only
 * picks that fit, and the newest few alone may hold none that do.
 *
 * @example
 * const picks = await new NewestOnSaleRecommender({ courses, entitlements }).recommend(followerId, { limit: 3 });
 */
export class NewestOnSaleRecommender implements Recommender {
  constructor(private readonly deps: { courses: Pick<CourseRepository, 'list'>; entitlements: Pick<EntitlementRepository, 'ownedCourseIds'> }) {}

  async recommend(followerId: string, options: RecommendOptions): Promise<Recommendation[]> {
    const limit = Math.max(0, options.limit);
    if (limit === 0) return [];
    const [owned, page] = await Promise.all([
      this.deps.entitlements.ownedCourseIds(followerId),
      // Enough to fill the limit after the exclusions.
      this.deps.courses.list({ page: 1, pageSize: Math.min(500, limit + (options.excludeCourseIds?.length ?? 0) + 50), status: 'on_sale' }),
    ]);
    const excluded = new Set([...owned, ...(options.excludeCourseIds ?? [])]);
    return page.items
      .filter((course) => course.status === 'on_sale' && !excluded.has(course.id) && (options.fits?.(course) ?? true))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((course, rank) => ({ courseId: course.id, score: 1 / (rank + 1), reason: { code: 'newest_on_sale', params: {} }, source: 'newest', courses: [course] }));
  }
}
