import { describeConfiguration, variantOf } from '../../../core/experiments/index.js';
import { defaultRankerWeights, indexCatalogue, rankerFor, rankForFollower, RANKER_FEATURES, SERVED_MMR_LAMBDA } from '../../../core/recommend/index.js';
import type { Course, CourseInteraction } from '../../../core/index.js';

const NOW = new Date('2026-03-01T08:00:00Z');

function course(id: string, tags: string[], titleEn: string, titleZh: string): Course {
  return {
    id, slug: id, titleZh, titleEn, descriptionZh: titleZh, descriptionEn: titleEn, tags, priceMinor: 19_900, currency: 'CNY', priceStars: null, status: 'on_sale',
    creatorId: null, coverUrl: null, teacherName: 'T', pacing: { kind: 'self_paced' }, telegramChatId: null, nextCourseId: null,
    createdAt: new Date('2025-01-01T00:00:00Z'), updatedAt: new Date('2025-01-01T00:00:00Z'),
  };
}

const catalogue = indexCatalogue([
  course('py-1', ['python'], 'Python basics', 'Python 入门'),
  course('py-2', ['python'], 'Python data analysis', 'Python 数据分析'),
  course('py-3', ['python', 'data-analysis'], 'Python pandas in practice', 'Python pandas 实战'),
  course('ph-1', ['photography'], 'Portrait photography', '人像摄影'),
  course('ph-2', ['photography'], 'Phone photography', '手机摄影'),
  course('en-1', ['english'], 'Business English', '商务英语'),
]);
const history: CourseInteraction[] = [
  { id: 1, followerId: 'f', courseId: 'py-1', kind: 'purchase', occurredAt: new Date('2026-02-27T08:00:00Z') },
  { id: 2, followerId: 'f', courseId: 'py-2', kind: 'click', occurredAt: new Date('2026-02-28T08:00:00Z') },
];
const signals = { history, interests: [], priceBand: 'unknown', now: NOW, hour: 16 } as const;

describe('a per-call serving configuration (a recommender experiment variant)', () => {
  it('changes nothing when empty', () => {
    expect(rankForFollower(null, catalogue, signals, new Set(), 4, SERVED_MMR_LAMBDA, {})).toEqual(rankForFollower(null, catalogue, signals, new Set(), 4));
  });

  it('switches a candidate generator off for that call only', () => {
    const served = rankForFollower(null, catalogue, signals, new Set(), 4);
    // Content similarity is what ties the python courses to this follower's history (py-1 is bought, so never offered).
    expect(served[0]).toMatchObject({ courseId: 'py-2', source: 'content' });
    const withoutContent = rankForFollower(null, catalogue, signals, new Set(), 4, SERVED_MMR_LAMBDA, { disabledGenerators: ['content'] });
    expect(withoutContent.map((p) => p.source)).not.toContain('content');
    expect(withoutContent.find((p) => p.courseId === 'py-2')?.score ?? 0).toBeLessThan(served[0]!.score);
  });

  it('serves the untrained blend with replaced weights, and its own diversity', () => {
    const flat = rankForFollower(null, catalogue, signals, new Set(), 4, SERVED_MMR_LAMBDA, { ranker: 'untrained_blend', blendWeights: Object.fromEntries(RANKER_FEATURES.map((f) => [f, 0])) });
    expect(flat.map((p) => p.score)).toEqual([0.1192, 0.1192, 0.1192, 0.1192]);
    expect(rankForFollower(null, catalogue, signals, new Set(), 4, 0.2, { mmrLambda: 1 })).toEqual(rankForFollower(null, catalogue, signals, new Set(), 4, 1));
    expect(rankForFollower(null, catalogue, signals, new Set(), 4, 0.2, { mmrLambda: 1 })).not.toEqual(rankForFollower(null, catalogue, signals, new Set(), 4, 0));
  });

  it('picks the ranker: the model\'s unless the blend is asked for', () => {
    const trained = { ...defaultRankerWeights(), hidden: 2, w1: RANKER_FEATURES.flatMap(() => [0.1, 0.2]), b1: [0, 0], w2: [1, 1], trainedOn: 500 };
    const model = { artifact: { ranker: trained } } as unknown as Parameters<typeof rankerFor>[0];
    expect(rankerFor(model, {})).toBe(trained);
    expect(rankerFor(model, { ranker: 'untrained_blend' })).toEqual(defaultRankerWeights());
    expect(rankerFor(null, { ranker: 'untrained_blend', blendWeights: { popularity: 4 } }).w1[RANKER_FEATURES.indexOf('popularity')]).toBe(4);
  });
});

describe('recommender experiment variants', () => {
  it('are sticky per follower and follow the traffic shares', () => {
    const experiment = { id: '6a1f0c2e-0000-4000-8000-000000000001', variants: [{ key: 'A', label: '', sharePercent: 70, configuration: {} }, { key: 'B', label: '', sharePercent: 30, configuration: {} }] };
    const keys = Array.from({ length: 10_000 }, (_, i) => variantOf(experiment, `follower-${i}`).key);
    expect(Array.from({ length: 100 }, (_, i) => variantOf(experiment, `follower-${i}`).key)).toEqual(keys.slice(0, 100));
    expect(keys.filter((k) => k === 'B').length / keys.length).toBeGreaterThan(0.28);
    expect(keys.filter((k) => k === 'B').length / keys.length).toBeLessThan(0.32);
    // Another experiment reshuffles: a follower's variant in one says nothing about the next.
    const next = Array.from({ length: 10_000 }, (_, i) => variantOf({ ...experiment, id: '6a1f0c2e-0000-4000-8000-000000000002' }, `follower-${i}`).key);
    expect(next.filter((k, i) => k !== keys[i]).length).toBeGreaterThan(3000);
  });

  it('are described in words in both languages', () => {
    const configuration = { ranker: 'untrained_blend' as const, mmrLambda: 0.5, disabledGenerators: ['ease' as const], blendWeights: { popularity: 2 } };
    expect(describeConfiguration(configuration, 'en')).toBe(
      'Ranking: the untrained blend of signals · Diversity: 0.5 (1 is relevance only; lower is more varied) · Candidate sources off: bought-together model (EASE) · Changed weights: overall popularity 2',
    );
    expect(describeConfiguration(configuration, 'zh-CN')).toBe('排序：未训练的信号加权混合 · 多样性：0.5（1 为只看相关度；越小越多样） · 关闭的候选来源：共同购买模型（EASE） · 调整的权重：整体热度 2');
    expect(describeConfiguration({}, 'en')).toBe('Ranking: the scorer in production (whichever of the trained ranker, the tuned blend and the untrained blend did best at the last retrain) · Diversity: as in production (chosen by the last retrain) · All candidate sources on');
  });
});
