import { associationRules, seededRandom, buildContentIndex, chooseKBySilhouette, cosine, kMeans, mmr, predictRanker, defaultRankerWeights, auc } from '../../../core/recommend/index.js';
import { reasonText } from '../../../core/index.js';

describe('segments', () => {
  it('finds known clusters and picks k by silhouette', () => {
    const points = [[0, 0], [0.1, 0], [0, 0.1], [10, 10], [10.1, 10], [10, 10.1], [20, 0], [20.1, 0], [20, 0.1]];
    const best = chooseKBySilhouette(points, { minK: 2, maxK: 5 });
    expect(best.k).toBe(3);
    const a = [...best.assignments];
    expect(new Set(a.slice(0, 3)).size).toBe(1);
    expect(new Set([a[0], a[3], a[6]]).size).toBe(3);
    expect(kMeans(points, 3, { seed: 1 })).toEqual(kMeans(points, 3, { seed: 1 }));
  });
});

describe('association rules', () => {
  it('finds known rules with support, confidence and lift', () => {
    const baskets = [['a', 'b'], ['a', 'b'], ['a', 'b', 'c'], ['c'], ['c', 'd']];
    const rules = associationRules(baskets, { minSupport: 0.4, minConfidence: 0.5 });
    const ab = rules.find((r) => r.antecedent.join() === 'a' && r.consequent === 'b')!;
    expect(ab.support).toBeCloseTo(3 / 5);
    expect(ab.confidence).toBeCloseTo(1);
    expect(ab.lift).toBeCloseTo(1 / (3 / 5));
    expect(rules.some((r) => r.consequent === 'd')).toBe(false);
  });

  it('finds a pair a few buyers share in a large catalogue, where 1 % support never would', () => {
    // 10,000 buyers of 5,000 courses, one course each, plus three who bought x and y together.
    const baskets = [...Array.from({ length: 10_000 }, (_, i) => [`c${i % 5000}`]), ['x', 'y'], ['x', 'y'], ['x', 'y', 'c1']];
    expect(associationRules(baskets, { minSupport: 0.01, minConfidence: 0.5 })).toEqual([]);
    const rules = associationRules(baskets, { minCount: 3, minConfidence: 0.5 });
    expect(rules.map((r) => `${r.antecedent.join('+')}→${r.consequent}`).sort()).toEqual(['x→y', 'y→x']);
  });

  it('counts from the baskets at 5,000 frequent courses, where listing every candidate pair would not finish', () => {
    // 20,000 buyers of 2–5 courses each among 5,000 (every course bought often enough), and a planted
    // triple: 30 buyers took a, b and c together.
    const random = seededRandom(9);
    const baskets: string[][] = Array.from({ length: 20_000 }, () => Array.from({ length: 2 + Math.floor(random() * 4) }, () => `c${Math.floor(random() * 5000)}`));
    for (let i = 0; i < 30; i++) baskets.push(['a', 'b', 'c']);
    const rules = associationRules(baskets, { minCount: 5, minConfidence: 0.5 });
    const names = rules.map((r) => `${r.antecedent.join('+')}→${r.consequent}`);
    expect(names).toEqual(expect.arrayContaining(['a+b→c', 'a+c→b', 'b+c→a', 'a→b']));
    // Random pairs are rarely bought together by five people: what is found is the planted structure.
    expect(names.every((name) => /^[abc](\+[abc])?→[abc]$/.test(name))).toBe(true);
    const abc = rules.find((r) => r.antecedent.join('+') === 'a+b')!;
    expect(abc.support).toBeCloseTo(30 / baskets.length);
  });
});

describe('content, diversity, reasons, ranker', () => {
  it('TF-IDF over jieba-segmented Chinese finds the similar course', () => {
    const index = buildContentIndex([
      { id: 'p1', titleZh: 'Python数据分析', titleEn: 'Python data analysis', descriptionZh: '', descriptionEn: '', tags: ['python'] },
      { id: 'p2', titleZh: 'Python机器学习', titleEn: 'Python machine learning', descriptionZh: '', descriptionEn: '', tags: ['python'] },
      { id: 'f1', titleZh: '人像摄影', titleEn: 'Portrait photography', descriptionZh: '', descriptionEn: '', tags: ['photography'] },
    ]);
    const [p1, p2, f1] = index.vectors;
    expect(cosine(p1!, p2!)).toBeGreaterThan(cosine(p1!, f1!));
  });
  it('MMR skips a near-duplicate', () => {
    const picked = mmr([{ id: 'a', score: 1 }, { id: 'b', score: 0.95 }, { id: 'c', score: 0.6 }], 2, 0.5, (x, y) => ([x, y].sort().join('') === 'ab' ? 1 : 0));
    expect(picked.map((p) => p.id)).toEqual(['a', 'c']);
  });
  it('renders reasons in both languages', () => {
    const title = (id: string) => (id === 'c1' ? 'Python 入门' : undefined);
    expect(reasonText({ code: 'because_you_liked', params: { courseId: 'c1' } }, 'zh-CN', title)).toBe('因为你喜欢「Python 入门」');
    expect(reasonText({ code: 'because_you_liked', params: { courseId: 'c1' } }, 'en', title)).toBe('Because you liked "Python 入门"');
    // Tags are named in the reader's language, never as slugs.
    expect(reasonText({ code: 'new_in_topic', params: { tag: 'personal-finance' } }, 'zh-CN', title)).toBe('理财方向的新课');
    expect(reasonText({ code: 'newest_on_sale', params: {} }, 'en', title)).toBe('Newly added course');
  });
  it('the default ranker prefers collaborative evidence; AUC is computed correctly', () => {
    const w = defaultRankerWeights();
    const strong = predictRanker(w, [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
    const weak = predictRanker(w, [0, 0, 0.1, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
    expect(strong).toBeGreaterThan(weak);
    expect(auc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
  });
});
