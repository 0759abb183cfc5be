/** Why a course is recommended: a stable code plus parameters, rendered per language at the edge. */
export interface RecommendationReason {
  code: string;
  params: Record<string, string | number>;
}

export interface Recommendation {
  courseId: string;
  score: number;
  reason: RecommendationReason;
  /** Which generator or fallback produced it (e.g. `item_knn`, `popular_segment`, `cold_start`). */
  source: string;
}

/**
 * Recommends courses to one follower. Never returns owned or unavailable courses.
 *
 * @example
 * const picks = await recommender.recommend(followerId, { limit: 3, locale: 'zh-CN' });
 */
export interface Recommender {
  recommend(followerId: string, options: { limit: number; locale?: string; excludeCourseIds?: string[] }): Promise<Recommendation[]>;
}
