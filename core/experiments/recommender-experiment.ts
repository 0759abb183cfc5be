import { z } from 'zod';
import { RANKER_FEATURES, type RankerFeature } from '../recommend/ranking/ranker.js';
import { GENERATORS, type GeneratorName } from '../recommend/serving/recommender-model.js';
import type { ServingConfiguration } from '../recommend/serving/serving-configuration.js';

/** Variant keys by position; the first (A) is the control every other variant is compared with. */
export const RECOMMENDER_VARIANT_KEYS = ['A', 'B', 'C', 'D'] as const;
export const RECOMMENDER_EXPERIMENT_STATUSES = ['draft', 'running', 'stopped'] as const;
export type RecommenderExperimentStatus = (typeof RECOMMENDER_EXPERIMENT_STATUSES)[number];

/** One arm: its share of the traffic (percent) and the serving configuration its followers get. */
export interface RecommenderVariant {
  key: string;
  /** The creator's own short name for it (optional); the console also describes the configuration in words. */
  label: string;
  sharePercent: number;
  configuration: ServingConfiguration;
}

export interface RecommenderExperiment {
  id: string;
  name: string;
  status: RecommenderExperimentStatus;
  variants: RecommenderVariant[];
  /** A click, checkout or purchase of a shown course counts if it comes within this many hours of the showing. */
  attributionHours: number;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  stoppedAt: Date | null;
}

const variantInput = z
  .object({
    label: z.string().trim().max(80).default(''),
    sharePercent: z.number().int().min(1, 'each variant needs at least 1% of the traffic').max(99),
    ranker: z.enum(['served', 'untrained_blend']).default('served'),
    mmrLambda: z.number().min(0).max(1).optional(),
    disabledGenerators: z.array(z.enum(GENERATORS)).max(GENERATORS.length - 1, 'leave at least one candidate generator on').default([]),
    blendWeights: z.partialRecord(z.enum(RANKER_FEATURES), z.number().min(-10).max(10)).optional(),
  })
  .refine((v) => !v.blendWeights || v.ranker === 'untrained_blend', {
    message: 'weight overrides change the untrained blend: set ranker to "untrained_blend" or remove blendWeights',
    path: ['blendWeights'],
  });

/** What an admin or creator sends to create a recommender experiment (`POST /api/recommender-experiments`). */
export const recommenderExperimentInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    variants: z.array(variantInput).min(2, 'an experiment compares 2 to 4 variants').max(4, 'an experiment compares 2 to 4 variants'),
    attributionHours: z.number().int().min(1).max(720).default(72),
  })
  .refine((e) => e.variants.reduce((sum, v) => sum + v.sharePercent, 0) === 100, { message: 'the variants\' traffic shares must add up to 100%', path: ['variants'] });
export type RecommenderExperimentInput = z.input<typeof recommenderExperimentInputSchema>;

/** The stored variants of a valid input: keys by position, configuration apart from the share. */
export function toVariants(input: z.output<typeof recommenderExperimentInputSchema>): RecommenderVariant[] {
  return input.variants.map((v, i) => ({
    key: RECOMMENDER_VARIANT_KEYS[i]!,
    label: v.label,
    sharePercent: v.sharePercent,
    configuration: {
      ranker: v.ranker,
      ...(v.mmrLambda === undefined ? {} : { mmrLambda: v.mmrLambda }),
      ...(v.disabledGenerators.length ? { disabledGenerators: v.disabledGenerators } : {}),
      ...(v.blendWeights ? { blendWeights: v.blendWeights } : {}),
    },
  }));
}

const GENERATOR_WORDS: Record<GeneratorName, { zh: string; en: string }> = {
  item_cf: { zh: '相似课程（协同过滤）', en: 'courses liked together (collaborative filtering)' },
  ease: { zh: '共同购买模型（EASE）', en: 'bought-together model (EASE)' },
  rp3beta: { zh: '随机游走相似度（RP3β）', en: 'random-walk similarity (RP3β)' },
  content: { zh: '课程内容相似度', en: 'similar course content' },
};

const FEATURE_WORDS: Record<RankerFeature, { zh: string; en: string }> = {
  item_cf: GENERATOR_WORDS.item_cf,
  ease: GENERATOR_WORDS.ease,
  rp3beta: GENERATOR_WORDS.rp3beta,
  content: GENERATOR_WORDS.content,
  popularity: { zh: '整体热度', en: 'overall popularity' },
  segment_popularity: { zh: '相似人群中的热度', en: 'popularity with similar followers' },
  trending: { zh: '近期上升', en: 'trending now' },
  association_rules: { zh: '常被一起购买', en: 'often bought together' },
  interests: { zh: '兴趣匹配', en: 'matching interests' },
  price_match: { zh: '价位匹配', en: 'matching price range' },
  recency: { zh: '最近活跃', en: 'recent activity' },
  hour_sin: { zh: '时段（正弦）', en: 'time of day (sine)' },
  hour_cos: { zh: '时段（余弦）', en: 'time of day (cosine)' },
  is_new: { zh: '新课程', en: 'new course' },
};

/**
 * The names of the candidate generators and ranker features in both languages, for a form that
 * builds a configuration (the console): the same words {@link describeConfiguration} uses.
 *
 * @example
 * configurationVocabulary().generators[0]; // { name: 'item_cf', zh: '相似课程（协同过滤）', en: 'courses liked together (collaborative filtering)' }
 */
export function configurationVocabulary() {
  return {
    generators: GENERATORS.map((name) => ({ name, ...GENERATOR_WORDS[name] })),
    features: RANKER_FEATURES.map((name) => ({ name, ...FEATURE_WORDS[name] })),
  };
}

/**
 * A variant's configuration in words, in Chinese or English, for the console and the audit log.
 *
 * @example
 * describeConfiguration({ ranker: 'untrained_blend', mmrLambda: 0.5 }, 'en');
 * // 'Ranking: the untrained blend of signals · Diversity: 0.5 (1 is relevance only; lower is more varied) · All candidate sources on'
 */
export function describeConfiguration(configuration: ServingConfiguration, locale: 'zh-CN' | 'en'): string {
  const zh = locale === 'zh-CN';
  const parts: string[] = [];
  parts.push(configuration.ranker === 'untrained_blend'
    ? (zh ? '排序：未训练的信号加权混合' : 'Ranking: the untrained blend of signals')
    : (zh ? '排序：线上的打分方式（上次重训时表现最好的：训练的排序模型、调优的混合或未训练的混合）' : 'Ranking: the scorer in production (whichever of the trained ranker, the tuned blend and the untrained blend did best at the last retrain)'));
  const lambda = configuration.mmrLambda;
  parts.push(lambda === undefined
    ? (zh ? '多样性：与线上相同（由上次重训选定）' : 'Diversity: as in production (chosen by the last retrain)')
    : (zh ? `多样性：${lambda}（1 为只看相关度；越小越多样）` : `Diversity: ${lambda} (1 is relevance only; lower is more varied)`));
  const off = configuration.disabledGenerators ?? [];
  parts.push(off.length === 0
    ? (zh ? '全部候选来源开启' : 'All candidate sources on')
    : `${zh ? '关闭的候选来源：' : 'Candidate sources off: '}${off.map((g) => GENERATOR_WORDS[g][zh ? 'zh' : 'en']).join(zh ? '、' : ', ')}`);
  const weights = Object.entries(configuration.blendWeights ?? {}) as Array<[RankerFeature, number]>;
  if (weights.length) parts.push(`${zh ? '调整的权重：' : 'Changed weights: '}${weights.map(([f, w]) => `${FEATURE_WORDS[f][zh ? 'zh' : 'en']} ${w}`).join(zh ? '、' : ', ')}`);
  return parts.join(' · ');
}
