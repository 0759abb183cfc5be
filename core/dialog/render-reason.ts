import type { Course } from '../catalog/course.js';
import type { Locale } from '../followers/follower.js';
import type { Recommendation, RecommendationReason } from '../ports/recommender.js';
import type { CourseRepository } from '../ports/repositories.js';
import { tagName } from '../text/tag-names.js';

type Params = RecommendationReason['params'];
type Render = (p: Params, locale: Locale, titleOf: (courseId: string) => string | undefined) => string;

const tagOf = (p: Params, locale: Locale): string => tagName(p['tag'] ?? '', locale);
const titleIn = (p: Params, titleOf: (courseId: string) => string | undefined): string => (p['courseId'] ? titleOf(p['courseId']) : undefined) ?? p['title'] ?? '';

/*
 * Reason codes of the Recommender port, rendered per language. A code this table does not know
 * falls back to a neutral line, so a new code in the engine never breaks the chat.
 */
const REASONS: Record<string, { zh: Render; en: Render }> = {
  because_you_liked: { zh: (p, _l, t) => `因为你喜欢「${titleIn(p, t)}」`, en: (p, _l, t) => `Because you liked "${titleIn(p, t)}"` },
  bought_together: { zh: (p, _l, t) => `买了「${titleIn(p, t)}」的同学也买了`, en: (p, _l, t) => `People who bought "${titleIn(p, t)}" also bought this` },
  matches_interest: { zh: (p, l) => `因为你对${tagOf(p, l)}感兴趣`, en: (p, l) => `Because you are into ${tagOf(p, l)}` },
  new_in_topic: { zh: (p, l) => `${tagOf(p, l)}方向的新课`, en: (p, l) => `New in ${tagOf(p, l)}` },
  popular_with_similar: { zh: () => '和你相似的同学都在学', en: () => 'Popular with learners like you' },
  trending: { zh: () => '最近很火', en: () => 'Trending right now' },
  popular: { zh: () => '很多同学在学的热门课', en: () => 'Popular with many learners' },
  matches_what_you_said: { zh: (p, l) => `符合你说想学的：${tagOf(p, l)}`, en: (p, l) => `Matches what you said you want to learn: ${tagOf(p, l)}` },
  cold_start_popular: { zh: () => '新同学的热门选择', en: () => 'A favourite of new learners' },
  non_personalised_popular: { zh: () => '热门课程（未个性化）', en: () => 'Popular course (not personalised)' },
  newest_on_sale: { zh: () => '新上架的课程', en: () => 'Newly added course' },
  next_in_path: { zh: (p, _l, t) => `学完「${titleIn(p, t)}」后的下一门`, en: (p, _l, t) => `The next step after "${titleIn(p, t)}"` },
};

/**
 * One line saying why a course is recommended, in the follower's language.
 *
 * @example
 * reasonText({ code: 'matches_interest', params: { tag: 'photography' } }, 'zh-CN', () => undefined) // '因为你对摄影感兴趣'
 */
export function reasonText(reason: RecommendationReason, locale: Locale, titleOf: (courseId: string) => string | undefined): string {
  const known = REASONS[reason.code];
  if (!known) return locale === 'en' ? 'Picked for you' : '为你精选';
  return (locale === 'en' ? known.en : known.zh)(reason.params, locale, titleOf);
}

/**
 * The courses a list of picks names (each pick and the course its reason names): those the
 * recommender already held, and the rest (a reason naming a course off sale, a stage that held
 * none) in one read, only if any.
 *
 * @example
 * const courses = await coursesNamedBy(picks, repos.courses); // Map of course id → course
 */
export async function coursesNamedBy(picks: readonly Recommendation[], courses: Pick<CourseRepository, 'findByIds'>): Promise<Map<string, Course>> {
  const held = new Map(picks.flatMap((p) => p.courses ?? []).map((c) => [c.id, c]));
  const named = picks.flatMap((p) => [p.courseId, ...(p.reason.params['courseId'] ? [p.reason.params['courseId']] : [])]);
  const missing = [...new Set(named)].filter((id) => !held.has(id));
  if (missing.length === 0) return held;
  for (const [id, course] of await courses.findByIds(missing)) held.set(id, course);
  return held;
}
