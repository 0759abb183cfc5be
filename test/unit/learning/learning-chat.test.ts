import { randomUUID } from 'node:crypto';
import { issueMessage } from '../../../adapters/http/validation-messages.js';
import { createLogger } from '../../../adapters/index.js';
import { courseGroupInviteReplies, isLearnerCode, isLearnerCodeRequest, isNextLessonRequest, learnerCode, LEARNER_CODE_WINDOW_MS, lessonInputSchema } from '../../../core/index.js';

const noLogger = createLogger('silent');

describe('Telegram group invites after a purchase', () => {
  const course = { id: randomUUID(), telegramChatId: '-1001234567890' };
  const invites = () => {
    const made: string[] = [];
    return { made, port: { createInvite: async (input: { groupChatId: string; name: string }) => (made.push(input.groupChatId), 'https://t.me/+abc') } };
  };

  it('makes a one-person invite for a buyer who paid on Telegram', async () => {
    const { made, port } = invites();
    const replies = await courseGroupInviteReplies(port, course, { id: randomUUID() }, 'telegram', 'en', noLogger);
    expect(made).toEqual([course.telegramChatId]);
    expect(replies).toMatchObject([{ type: 'text', buttons: [[{ url: 'https://t.me/+abc' }]] }]);
  });

  it('makes none for a WeChat or mini-program buyer: the group is on Telegram', async () => {
    for (const buyer of ['wechat', 'mp_openid', 'mp_unionid'] as const) {
      const { made, port } = invites();
      expect(await courseGroupInviteReplies(port, course, { id: randomUUID() }, buyer, 'zh-CN', noLogger)).toEqual([]);
      expect(made).toEqual([]);
    }
  });
});

describe('the learner code that opens lesson links in a new browser', () => {
  const secret = 'secret-0123456789';
  const follower = randomUUID();
  const now = new Date('2026-03-02T02:03:00Z');

  it('is six digits, for one follower, good in its window and the next', () => {
    const code = learnerCode(secret, follower, now);
    expect(code).toMatch(/^\d{6}$/);
    expect(isLearnerCode(secret, follower, code, now)).toBe(true);
    expect(isLearnerCode(secret, follower, code, new Date(now.getTime() + LEARNER_CODE_WINDOW_MS))).toBe(true);
    expect(isLearnerCode(secret, follower, code, new Date(now.getTime() + 2 * LEARNER_CODE_WINDOW_MS))).toBe(false);
    expect(isLearnerCode(secret, randomUUID(), code, now)).toBe(false);
    expect(isLearnerCode('another-secret-0123', follower, code, now)).toBe(false);
  });

  it('is asked for in words; "next lesson" in words is recognised, questions are not', () => {
    expect(['验证码', '/code', 'code', 'Login code.'].every(isLearnerCodeRequest)).toBe(true);
    expect(isLearnerCodeRequest('what does the code lesson cover?')).toBe(false);
    expect(['下一课', '继续学习', 'next', 'Next lesson!'].every(isNextLessonRequest)).toBe(true);
    expect(isNextLessonRequest('下一课讲什么？')).toBe(false);
  });
});

describe('validation messages in the reader’s language', () => {
  const issues = (input: unknown) => lessonInputSchema.safeParse(input).error!.issues;

  it('translates the schema’s own messages and words zod’s checks', () => {
    const [title, minutes] = issues({ titleZh: '', titleEn: 'x', estimatedMinutes: 1.5 });
    expect([issueMessage(title!, 'zh'), issueMessage(title!, 'en')]).toEqual(['请输入标题', 'enter a title']);
    expect([issueMessage(minutes!, 'zh'), issueMessage(minutes!, 'en')]).toEqual(['请输入整数', 'enter a whole number']);
    const [long] = issues({ titleZh: 'x'.repeat(201), titleEn: 'x' });
    expect([issueMessage(long!, 'zh'), issueMessage(long!, 'en')]).toEqual(['最多 200 个字', 'enter at most 200 characters']);
    const [position] = issues({ titleZh: 'x', titleEn: 'x', position: -1 });
    expect([issueMessage(position!, 'zh'), issueMessage(position!, 'en')]).toEqual(['不能小于 0', 'enter 0 or more']);
  });
});
