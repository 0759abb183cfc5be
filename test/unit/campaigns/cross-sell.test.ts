import { indexAssociationRules, pickCrossSell, renderCampaignMessage, retargetingRuleInputSchema, type CrossSellReason, type MessageVariant } from '../../../core/campaigns/index.js';
import type { Course } from '../../../core/index.js';
import type { AssociationRule } from '../../../core/recommend/index.js';

const rule = (antecedent: string[], consequent: string, confidence: number, lift: number, support = 0.1): AssociationRule => ({ antecedent, consequent, support, confidence, lift });
const thresholds = { minConfidence: 0.2, minLift: 1, isOnSale: (id: string) => id !== 'draft' };
const owning = (...ids: string[]) => ({ purchasedCourseId: 'a', ownedCourseIds: new Set(['a', ...ids]) });

describe('pickCrossSell', () => {
  it('takes the highest confidence, then the highest lift, among rules that apply', () => {
    const rules = [rule(['a'], 'b', 0.5, 2), rule(['a'], 'c', 0.6, 1.5), rule(['a'], 'd', 0.6, 3)];
    expect(pickCrossSell(rules, owning(), thresholds)?.consequent).toBe('d');
  });

  it('needs the purchase in the antecedent and every antecedent course owned', () => {
    const rules = [rule(['x'], 'b', 0.9, 5), rule(['a', 'y'], 'c', 0.9, 5), rule(['a'], 'd', 0.3, 2)];
    expect(pickCrossSell(rules, owning(), thresholds)?.consequent).toBe('d');
    expect(pickCrossSell(rules, owning('y'), thresholds)?.consequent).toBe('c');
  });

  it('skips owned, unsold and weak consequents', () => {
    const rules = [rule(['a'], 'b', 0.9, 5), rule(['a'], 'draft', 0.9, 5), rule(['a'], 'c', 0.1, 5), rule(['a'], 'd', 0.5, 0.9)];
    expect(pickCrossSell(rules, owning('b'), thresholds)).toBeNull();
    expect(pickCrossSell(rules, owning('b'), { ...thresholds, minConfidence: 0.05, minLift: 0.5 })?.consequent).toBe('d');
  });

  it('breaks full ties by course id, so rescans agree', () => {
    expect(pickCrossSell([rule(['a'], 'c', 0.5, 2), rule(['a'], 'b', 0.5, 2)], owning(), thresholds)?.consequent).toBe('b');
  });
});

describe('indexAssociationRules', () => {
  it('groups rules under each antecedent course and drops malformed ones', () => {
    const byCourse = indexAssociationRules({ rules: [rule(['a', 'b'], 'c', 0.5, 2), { antecedent: [], consequent: 'x' }, null, rule(['a'], 'd', 1.5, 2)] });
    expect([...byCourse!.keys()].sort()).toEqual(['a', 'b']);
    expect(byCourse!.get('a')!.map((r) => r.consequent)).toEqual(['c']);
  });

  it('answers null when the artifact has no rules list', () => {
    expect(indexAssociationRules({ formatVersion: 1 })).toBeNull();
    expect(indexAssociationRules(null)).toBeNull();
  });
});

describe('cross-sell rule params', () => {
  const base = { name: 'x', trigger: 'cross_sell', variants: [{ key: 'A', text: { en: 'hi' } }] };
  it('accepts confidence in 0-1 and a lift of 0 or more, and rejects the rest', () => {
    expect(retargetingRuleInputSchema.parse({ ...base, params: { minSupport: 2, minConfidence: 0.3, minLift: 1.2 } }).params).toEqual({ minSupport: 2, minConfidence: 0.3, minLift: 1.2 });
    expect(retargetingRuleInputSchema.safeParse({ ...base, params: { minConfidence: 1.5 } }).success).toBe(false);
    expect(retargetingRuleInputSchema.safeParse({ ...base, params: { minLift: -1 } }).success).toBe(false);
  });
});

describe('renderCampaignMessage with a cross-sell reason', () => {
  const course = { id: 'b', titleZh: '数据可视化', titleEn: 'Data viz', descriptionZh: '', descriptionEn: '', priceMinor: 100, currency: 'CNY', priceStars: null } as unknown as Course;
  const reason: CrossSellReason = {
    source: 'association_rules',
    purchased: [{ courseId: 'a', titleZh: 'SQL 入门', titleEn: 'SQL basics' }, { courseId: 'y', titleZh: '统计', titleEn: 'Statistics' }],
    support: 0.123,
    confidence: 0.6,
    lift: 2.46,
  };
  const variant: MessageVariant = {
    key: 'A',
    weight: 1,
    text: { en: '{confidence} of "{purchased}" buyers took "{course}" (lift {lift}, {support}).', 'zh-CN': '买了《{purchased}》的同学有{confidence}也买了《{course}》。' },
  };

  // The opt-out line follows the message text after a blank line.
  const messageText = (v: MessageVariant, locale: 'en' | 'zh-CN', c: Course, crossSell: CrossSellReason | null = null) =>
    (renderCampaignMessage(v, { locale, platform: 'telegram', course: c, crossSell })[0] as { text: string }).text.split('\n')[0];

  it('names the purchase and the numbers in the follower language', () => {
    expect(messageText(variant, 'en', course, reason)).toBe('60% of "SQL basics, Statistics" buyers took "Data viz" (lift 2.5, 12%).');
    expect(messageText(variant, 'zh-CN', course, reason)).toBe('买了《SQL 入门、统计》的同学有60%也买了《数据可视化》。');
  });

  it('keeps {course} working without a reason and leaves the reason variables as written', () => {
    expect(messageText(variant, 'en', course)).toBe('{confidence} of "{purchased}" buyers took "Data viz" (lift {lift}, {support}).');
  });
});
