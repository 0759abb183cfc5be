import type { CourseRepository, Recommendation, Recommender } from '../../../core/index.js';

/**
 * The newest courses on sale, labelled as a fallback, for processes where no recommendation engine
 * is wired. Excludes what the caller says the follower owns.
 *
 * @example
 * const recommender = wiring.recommender ?? new CatalogueFallbackRecommender(repos.courses);
 */
export class CatalogueFallbackRecommender implements Recommender {
  constructor(private readonly courses: CourseRepository) {}

  async recommend(_followerId: string, options: { limit: number; locale?: string; excludeCourseIds?: string[] }): Promise<Recommendation[]> {
    const excluded = new Set(options.excludeCourseIds ?? []);
    const page = await this.courses.list({ page: 1, pageSize: Math.min(100, options.limit + excluded.size), status: 'on_sale' });
    return page.items
      .filter((c) => !excluded.has(c.id))
      .slice(0, options.limit)
      .map((c, i): Recommendation => ({ courseId: c.id, score: 1 / (i + 1), reason: { code: 'non_personalised_popular', params: {} }, source: 'catalogue_fallback' }));
  }
}
