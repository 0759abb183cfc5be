import type { Locale } from '../followers/follower.js';
import { TAG_LEXICON } from './tag-lexicon.js';

/**
 * Every canonical tag of TAG_LEXICON as people read it, in both languages, so Chinese text never
 * shows an English slug ("因为你对数据分析感兴趣", not "…对data analysis感兴趣"). A test keeps the two
 * tables in step.
 */
export const TAG_NAMES: Readonly<Record<string, { 'zh-CN': string; en: string }>> = {
  python: { 'zh-CN': 'Python 编程', en: 'Python' },
  'data-analysis': { 'zh-CN': '数据分析', en: 'Data analysis' },
  'machine-learning': { 'zh-CN': '机器学习', en: 'Machine learning' },
  ai: { 'zh-CN': 'AI 工具', en: 'AI tools' },
  excel: { 'zh-CN': 'Excel 与办公', en: 'Excel and office tools' },
  photography: { 'zh-CN': '摄影', en: 'Photography' },
  'video-editing': { 'zh-CN': '视频剪辑', en: 'Video editing' },
  writing: { 'zh-CN': '写作', en: 'Writing' },
  copywriting: { 'zh-CN': '文案', en: 'Copywriting' },
  marketing: { 'zh-CN': '营销运营', en: 'Marketing' },
  'personal-finance': { 'zh-CN': '理财', en: 'Personal finance' },
  investing: { 'zh-CN': '投资', en: 'Investing' },
  english: { 'zh-CN': '英语', en: 'English' },
  japanese: { 'zh-CN': '日语', en: 'Japanese' },
  'public-speaking': { 'zh-CN': '演讲与表达', en: 'Public speaking' },
  career: { 'zh-CN': '职场发展', en: 'Career' },
  productivity: { 'zh-CN': '效率提升', en: 'Productivity' },
  design: { 'zh-CN': '设计', en: 'Design' },
  drawing: { 'zh-CN': '绘画', en: 'Drawing' },
  fitness: { 'zh-CN': '健身', en: 'Fitness' },
  yoga: { 'zh-CN': '瑜伽冥想', en: 'Yoga and meditation' },
  cooking: { 'zh-CN': '烹饪', en: 'Cooking' },
  parenting: { 'zh-CN': '育儿', en: 'Parenting' },
  music: { 'zh-CN': '音乐', en: 'Music' },
  guitar: { 'zh-CN': '吉他', en: 'Guitar' },
  psychology: { 'zh-CN': '心理学', en: 'Psychology' },
  startup: { 'zh-CN': '创业与副业', en: 'Startups and side businesses' },
  'product-management': { 'zh-CN': '产品经理', en: 'Product management' },
};

/**
 * A tag's display name in a locale. A tag missing from the table (added to the lexicon but not
 * here) reads as its slug in words in English and as 「其他方向」 in Chinese, never as an English slug.
 *
 * @example
 * tagName('data-analysis', 'zh-CN') // '数据分析'
 * tagName('data-analysis', 'en') // 'Data analysis'
 */
export function tagName(tag: string, locale: Locale): string {
  const names = TAG_NAMES[tag];
  if (names) return names[locale];
  return locale === 'en' ? tag.replace(/-/g, ' ') : '其他方向';
}

/** Tags of the lexicon that have no display name; empty when the tables agree. */
export function tagsWithoutNames(): string[] {
  return Object.keys(TAG_LEXICON).filter((tag) => !(tag in TAG_NAMES));
}
