import { renderWechatReplies } from '../../../adapters/wechat/render-reply.js';
import type { Reply } from '../../../core/index.js';

const card = (id: string, url?: string) => ({
  courseId: id, title: `课程 ${id}`, description: 'd', price: { amountMinor: 9900, currency: 'CNY' as const }, priceStars: null, reason: '为你精选',
  ...(url ? { url } : {}), buttons: [{ label: '购买', action: `buy:${id}` }],
});

describe('renderWechatReplies', () => {
  it('turns buttons into numbered options and keeps their actions in order', () => {
    const replies: Reply[] = [{ type: 'text', text: '欢迎', buttons: [[{ label: '推荐', action: 'rec' }, { label: '官网', url: 'https://x.example' }], [{ label: '帮助', action: 'help' }]] }];
    const { messages, options } = renderWechatReplies(replies, { locale: 'zh-CN' });
    expect(options).toEqual(['rec', 'help']);
    expect(messages).toEqual([{ kind: 'text', text: '欢迎\n\n回复数字选择：\n1. 推荐\n· 官网: https://x.example\n2. 帮助' }]);
  });

  it('sends course cards as link cards with a page, mini-program cards when configured, else text', () => {
    const replies: Reply[] = [{ type: 'course_cards', intro: 'Picks', cards: [card('a', 'https://x.example/a'), card('b')] }];
    const plain = renderWechatReplies(replies, { locale: 'en' });
    expect(plain.messages.map((m) => m.kind)).toEqual(['text', 'url_link', 'text', 'text']);
    expect(plain.messages[1]).toMatchObject({ url: 'https://x.example/a', description: '¥99.00 · 为你精选' });
    expect(plain.options).toEqual(['buy:a', 'buy:b']);
    const mp = renderWechatReplies(replies, { locale: 'en', miniProgram: { appId: 'wx1', username: 'gh_1' } });
    expect(mp.messages.filter((m) => m.kind === 'mini_program')).toHaveLength(2);
    expect(mp.messages[1]).toMatchObject({ kind: 'mini_program', pagePath: 'pages/course/index?id=a', fallbackText: expect.stringContaining('https://x.example/a') });
  });
});
