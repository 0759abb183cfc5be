import type { Course } from '../../catalog/course.js';
import { personaOf } from '../../persona/get-persona.js';
import type { Clock, CourseRepository, EntitlementRepository, EventRepository, FollowerRepository } from '../../ports/index.js';
import type { CoursePopularity, Recommendation, Recommender, RecommendOptions } from '../../ports/recommender.js';

export interface InterestPopularityDeps {
  followers: Pick<FollowerRepository, 'findById'>;
  events: Pick<EventRepository, 'personaStats'>;
  courses: Pick<CourseRepository, 'list'>;
  entitlements: EntitlementRepository;
  popularity: CoursePopularity;
  clock: Clock;
}

/** Catalogues are small; beyond this many on-sale courses the oldest are not considered. */
const MAX_CANDIDATES = 500;
/** One unit of persona interest outweighs any popularity difference. */
const INTEREST_SCALE = 10;

/**
 * The chain's second stage: scores on-sale courses by the follower's persona interests (tag
 * overlap) plus normalised popularity, for when the engine fails or runs out of picks. Never returns owned
 * or unavailable courses; followers who switched personalisation off get popularity only.
 *
 * @example
 * const recommender = new InterestPopularityRecommender({ ...repos, popularity, clock });
 * const picks = await recommender.recommend(followerId, { limit: 3 });
 */
export class InterestPopularityRecommender implements Recommender {
  constructor(private readonly deps: InterestPopularityDeps) {}

  async recommend(followerId: string, options: RecommendOptions): Promise<Recommendation[]> {
    const follower = options.follower?.id === followerId ? options.follower : await this.deps.followers.findById(followerId);
    const [catalogue, owned, popularity, persona] = await Promise.all([
      this.deps.courses.list({ page: 1, pageSize: MAX_CANDIDATES, status: 'on_sale' }),
      this.deps.entitlements.ownedCourseIds(followerId),
      this.deps.popularity.courseScores(),
      follower?.hasPersonalizationConsent ? personaOf(this.deps, follower) : Promise.resolve(null),
    ]);
    const excluded = new Set([...owned, ...(options.excludeCourseIds ?? [])]);
    const interests = new Map((persona?.interests ?? []).map((i) => [i.tag, i.weight]));
    const topPopularity = Math.max(1, ...popularity.values());

    const scored = catalogue.items
      .filter((course) => course.status === 'on_sale' && !excluded.has(course.id))
      .map((course) => scoreCourse(course, interests, (popularity.get(course.id) ?? 0) / topPopularity, persona !== null));
    scored.sort((a, b) => b.score - a.score || a.courseId.localeCompare(b.courseId));
    return scored.slice(0, Math.max(0, options.limit));
  }
}

function scoreCourse(course: Course, interests: ReadonlyMap<string, number>, popularity: number, isPersonalised: boolean): Recommendation {
  let bestTag: string | undefined;
  let bestWeight = 0;
  let interest = 0;
  for (const tag of course.tags) {
    const weight = interests.get(tag) ?? 0;
    interest += weight;
    if (weight > bestWeight) [bestTag, bestWeight] = [tag, weight];
  }
  const score = Math.round((interest * INTEREST_SCALE + popularity) * 1000) / 1000;
  if (bestTag) return { courseId: course.id, score, reason: { code: 'matches_interest', params: { tag: bestTag } }, source: 'interests', courses: [course] };
  const code = isPersonalised ? 'cold_start_popular' : 'non_personalised_popular';
  return { courseId: course.id, score, reason: { code, params: {} }, source: 'popularity', courses: [course] };
}
