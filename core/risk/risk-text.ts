import type { Locale } from '../followers/follower.js';

const TEXT = {
  'zh-CN': {
    chatThrottled: '你发送消息的速度有点快，我们稍后再聊。请过一会儿再发消息。',
    orderUnderReview: '你的订单正在审核中，审核通过后我们会通知你。给你带来不便，敬请谅解。',
  },
  en: {
    chatThrottled: 'You are sending messages a little fast; let us pause for a moment. Please write again shortly.',
    orderUnderReview: 'Your order is being reviewed. We will let you know once it is approved; sorry for the wait.',
  },
} satisfies Record<Locale, Record<string, string>>;

/**
 * What a follower reads when a risk action touches them, in their language.
 *
 * @example
 * riskText('en').orderUnderReview;
 */
export function riskText(locale: Locale): (typeof TEXT)['en'] {
  return TEXT[locale];
}
