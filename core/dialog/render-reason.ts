import type { Locale } from '../followers/follower.js';
import type { RecommendationReason } from '../ports/recommender.js';
import { topicLabel } from './dialog-text.js';

type Params = RecommendationReason['params'];
type Render = (p: Params, locale: Locale) => string;

const str = (p: Params, key: string): string => String(p[key] ?? '');
const tagOf = (p: Params, locale: Locale): string => topicLabel(str(p, 'tag') || str(p, 'topic'), locale);

/*
 * Reason codes produced by recommenders, rendered per language. Codes this table does not know
 * fall back to a neutral line, so a new code in the engine never breaks the chat.
 */
const REASONS: Record<string, { zh: Render; en: Render }> = {
  interest_match: { zh: (p, l) => `因为你对${tagOf(p, l)}感兴趣`, en: (p, l) => `Because you are into ${tagOf(p, l)}` },
  popular: { zh: () => '很多同学都在学', en: () => 'Popular with other learners' },
  popular_segment: { zh: () => '和你相似的同学都在学', en: () => 'Popular with learners like you' },
  trending: { zh: () => '最近很火', en: () => 'Trending right now' },
  cold_start: { zh: () => '新同学的热门选择', en: () => 'A favourite of new learners' },
  similar_to: { zh: (p) => `和你看过的「${str(p, 'title')}」相似`, en: (p) => `Similar to "${str(p, 'title')}" you looked at` },
  bought_together: { zh: (p) => `买了「${str(p, 'title')}」的同学也买了`, en: (p) => `People who bought "${str(p, 'title')}" also bought this` },
  new_course: { zh: () => '新上线的课程', en: () => 'Just released' },
  content_match: { zh: (p, l) => `和你关注的${tagOf(p, l)}相关`, en: (p, l) => `Related to ${tagOf(p, l)}, which you follow` },
};

/**
 * One line saying why a course is recommended, in the follower's language.
 *
 * @example
 * renderReason({ code: 'interest_match', params: { tag: 'photography' } }, 'zh-CN') // '因为你对摄影感兴趣'
 */
export function renderReason(reason: RecommendationReason, locale: Locale): string {
  const known = REASONS[reason.code];
  if (!known) return locale === 'en' ? 'Picked for you' : '为你精选';
  return locale === 'en' ? known.en(reason.params, locale) : known.zh(reason.params, locale);
}
