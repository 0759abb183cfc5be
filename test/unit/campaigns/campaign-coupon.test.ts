import { renderCampaignMessage, retargetingRuleInputSchema, type MessageVariant } from '../../../core/campaigns/index.js';
import { ACTIONS, intentOfAction, type Course, type Reply } from '../../../core/index.js';

const COURSE = '00000000-0000-4000-8000-00000000000b';
const course = { id: COURSE, titleZh: '数据可视化', titleEn: 'Data viz', descriptionZh: '图表', descriptionEn: 'Charts', priceMinor: 19900, currency: 'CNY', priceStars: 150, status: 'on_sale' } as unknown as Course;
const variant: MessageVariant = { key: 'A', weight: 1, text: { en: 'Use {coupon} on {course}: {price}', 'zh-CN': '用 {coupon} 买《{course}》只要 {price}' }, courseId: COURSE, couponCode: 'SAVE20' };
const cardsOf = (replies: Reply[]) => replies.flatMap((r) => (r.type === 'course_cards' ? r.cards : []));

describe('a campaign message that offers a coupon', () => {
  it('shows the price after the coupon (in yuan on WeChat), both prices under the text, and a Buy button that redeems it for this course', () => {
    const replies = renderCampaignMessage(variant, { locale: 'en', platform: 'wechat', course, coupon: { code: 'SAVE20', price: { amountMinor: 15920, currency: 'CNY' } } });
    expect((replies[0] as { text: string }).text).toBe('Use SAVE20 on Data viz: ¥159.20\nRegular price ¥199.00; with coupon SAVE20 only ¥159.20\n\nReply /stop to unsubscribe');
    const [card] = cardsOf(replies);
    expect(card!.price).toEqual({ amountMinor: 15920, currency: 'CNY' });
    expect(card!.buttons).toContainEqual({ label: 'Buy ¥159.20', action: `cpn:SAVE20:${ACTIONS.coupon('SAVE20', COURSE).split(':')[2]}` });
    expect(card!.buttons.some((b) => 'action' in b && b.action === `buy:${COURSE}`)).toBe(false);
    // The button names the course: tapping it opens that course's card with the coupon.
    expect(intentOfAction(ACTIONS.coupon('SAVE20', COURSE))).toEqual({ kind: 'use_coupon', code: 'SAVE20', courseId: COURSE });
  });

  it('shows the regular price and the plain Buy button when the follower may not use the coupon', () => {
    const replies = renderCampaignMessage(variant, { locale: 'zh-CN', platform: 'telegram', course, coupon: null });
    expect((replies[0] as { text: string }).text.split('\n')[0]).toBe('用 {coupon} 买《数据可视化》只要 150 ⭐');
    expect(cardsOf(replies)[0]!.buttons).toContainEqual({ label: '购买 150 ⭐', action: `buy:${COURSE}` });
  });

  it('reads old and malformed coupon buttons safely', () => {
    expect(intentOfAction('cpn:SAVE20')).toEqual({ kind: 'use_coupon', code: 'SAVE20' });
    expect(intentOfAction('cpn:SAVE20:not-a-course')).toBeUndefined();
    expect(intentOfAction(`${ACTIONS.coupon('SAVE20', COURSE)}:extra`)).toBeUndefined();
    expect(intentOfAction('cpn:x')).toBeUndefined();
  });

  it('lets a retargeting rule attach a coupon, read in upper case', () => {
    const parsed = retargetingRuleInputSchema.safeParse({
      name: 'abandoned-coupon', trigger: 'abandoned_checkout', params: {}, delayMinutes: 60, maxPerFollower: 1,
      variants: [{ key: 'A', text: { en: 'Still there? {coupon}' }, couponCode: ' come-back10 ' }],
    });
    expect(parsed.success && parsed.data.variants[0]!.couponCode).toBe('COME-BACK10');
    expect(retargetingRuleInputSchema.safeParse({ name: 'bad', trigger: 'abandoned_checkout', params: {}, variants: [{ key: 'A', text: { en: 'x' }, couponCode: 'no spaces!' }] }).success).toBe(false);
  });
});
