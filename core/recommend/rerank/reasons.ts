import type { RecommendationReason } from '../../ports/index.js';

/**
 * The human text of a reason, in zh-CN or en. `titleOf` turns a course id into its title in that locale.
 *
 * @example
 * renderReason({ code: 'because_you_liked', params: { courseId } }, 'zh-CN', title) // '因为你喜欢《Python 入门》'
 */
export function renderReason(reason: RecommendationReason, locale: string, titleOf: (courseId: string) => string | undefined): string {
  const zh = locale.startsWith('zh');
  const p = Object.fromEntries(Object.entries(reason.params).map(([k, v]) => [k, String(v)])) as Record<string, string | undefined>;
  const title = p.courseId ? titleOf(p.courseId) ?? '' : '';
  switch (reason.code) {
    case 'because_you_liked':
      return zh ? `因为你喜欢《${title}》` : `Because you liked ${title}`;
    case 'bought_together':
      return zh ? `买了《${title}》的同学也买了` : `Often bought with ${title}`;
    case 'popular_with_similar':
      return zh ? '和你相似的同学都在学' : 'Popular with followers like you';
    case 'new_in_topic':
      return zh ? `「${p.tag ?? ''}」方向的新课` : `New in ${p.tag ?? 'your topic'}`;
    case 'matches_interest':
      return zh ? `符合你对「${p.tag ?? ''}」的兴趣` : `Matches your interest in ${p.tag ?? 'this topic'}`;
    case 'trending':
      return zh ? '最近很火' : 'Trending now';
    case 'cold_start_interest':
      return zh ? `根据你感兴趣的「${p.tag ?? ''}」推荐` : `Picked for your interest in ${p.tag ?? 'this topic'}`;
    case 'cold_start_popular':
      return zh ? '新朋友都从这门课开始' : 'A popular first course';
    case 'non_personalised_popular':
      return zh ? '热门课程（未使用个性化推荐）' : 'Popular course (personalisation is off)';
    default:
      return zh ? '为你推荐' : 'Recommended for you';
  }
}
