/**
 * Canonical interest tags (English slugs used on courses) and the words, in Chinese and English,
 * that point at them. Message text is mapped through this table into persona interests, and the
 * dialog uses it to understand "topics".
 */
export const TAG_LEXICON: Readonly<Record<string, readonly string[]>> = {
  python: ['python', 'py', '编程', '程序', '代码', 'coding', 'programming'],
  'data-analysis': ['数据分析', '数据', 'data', 'analytics', 'analysis', 'pandas', 'sql'],
  'machine-learning': ['机器学习', '深度学习', 'ml', 'machine', 'deep', 'tensorflow', '神经网络'],
  ai: ['ai', '人工智能', 'chatgpt', 'gpt', '大模型', 'llm', 'aigc', 'prompt', '提示词'],
  excel: ['excel', '表格', '办公', 'office', 'spreadsheet', 'ppt'],
  photography: ['摄影', '拍照', '相机', 'photography', 'photo', 'photos', 'camera', '手机摄影'],
  'video-editing': ['剪辑', '视频', 'vlog', 'video', 'editing', 'premiere', '短视频'],
  writing: ['写作', '文笔', 'writing', 'write', '写文章', '小说'],
  copywriting: ['文案', 'copywriting', 'copy', '广告文案'],
  marketing: ['营销', '运营', '推广', 'marketing', '私域', '小红书', '抖音', '增长', 'growth'],
  'personal-finance': ['理财', '财务', '存钱', 'finance', 'money', 'budget', 'budgeting', '记账'],
  investing: ['投资', '股票', '基金', 'investing', 'invest', 'stocks', 'stock', 'funds', '炒股'],
  english: ['英语', '英文', 'english', '口语', '雅思', 'ielts', 'toefl', '托福'],
  japanese: ['日语', '日文', 'japanese', 'jlpt'],
  'public-speaking': ['演讲', '表达', '口才', 'speaking', 'speech', 'presentation', '沟通', 'communication'],
  career: ['职场', '求职', '面试', '简历', 'career', 'job', 'interview', 'resume', '升职'],
  productivity: ['效率', '时间管理', 'productivity', 'notion', '习惯', 'habits'],
  design: ['设计', 'ui', 'ux', 'design', 'figma', '平面设计'],
  drawing: ['画画', '绘画', '插画', 'drawing', 'illustration', 'procreate', '素描'],
  fitness: ['健身', '减肥', '减脂', 'fitness', 'workout', 'gym', '运动'],
  yoga: ['瑜伽', 'yoga', '冥想', 'meditation'],
  cooking: ['烹饪', '做饭', '美食', 'cooking', 'cook', 'recipes', '烘焙', 'baking'],
  parenting: ['育儿', '亲子', '孩子', 'parenting', 'kids', '家庭教育'],
  music: ['音乐', '乐理', 'music', '唱歌', 'singing'],
  guitar: ['吉他', 'guitar', '尤克里里', 'ukulele'],
  psychology: ['心理', '心理学', '情绪', 'psychology', 'emotions', '焦虑', 'anxiety'],
  startup: ['创业', '副业', 'startup', 'business', 'side', 'founder'],
  'product-management': ['产品经理', '产品', 'product', 'pm', '需求'],
};

const WORD_TO_TAG: ReadonlyMap<string, string> = new Map(
  Object.entries(TAG_LEXICON).flatMap(([tag, words]) => [[tag, tag] as const, ...words.map((w) => [w, tag] as const)]),
);

/**
 * The canonical tag a term points at, if any.
 *
 * @example
 * tagForTerm('摄影') // 'photography'
 */
export function tagForTerm(term: string): string | undefined {
  return WORD_TO_TAG.get(term.toLowerCase());
}

/** Canonical tags mentioned in a list of terms, in order of first mention, without repeats. */
export function tagsInTerms(terms: readonly string[]): string[] {
  const tags = new Set<string>();
  for (const term of terms) {
    const tag = tagForTerm(term);
    if (tag) tags.add(tag);
  }
  return [...tags];
}
