import { freshMemory, intentOfAction, intentOfCommand, intentOfText, memoryAfter, DIALOG_MEMORY_TTL_MS, type DialogMemory, type Reply } from '../../../core/index.js';
import { loadIntentModel, understandMessage, type IntentModel } from '../../../core/understanding/index.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const catalogue = [
  { id: A, titles: ['手机摄影：随手拍出大片', 'Smartphone Photography Masterclass'] },
  { id: B, titles: ['Python 零基础入门到实战', 'Python from Zero to Hero'] },
  { id: C, titles: ['年轻人的理财第一课', 'Personal Finance 101'] },
];
const at = new Date('2025-03-01T10:00:00Z');
const empty: DialogMemory = { lastList: [], focusCourseId: null, pending: null, updatedAt: at };
const listed: DialogMemory = { ...empty, lastList: [A, B, C] };

describe('intentOfText: the understanding model read against the dialog memory', () => {
  let model: IntentModel;
  beforeAll(() => {
    model = loadIntentModel();
  });
  const intentOf = (text: string, memory: DialogMemory = empty) => intentOfText(understandMessage(model, text, { courses: catalogue }), text, memory);

  it.each([
    ['退订', 'unsubscribe'],
    ['unsubscribe', 'unsubscribe'],
    ['STOP', 'unsubscribe'],
    ['please stop sending me messages', 'unsubscribe'],
    ['别再给我发广告了', 'unsubscribe'],
    ['重新订阅', 'resubscribe'],
    ['switch to English', 'switch_language'],
    ['说中文', 'switch_language'],
    ['你好', 'greeting'],
    ['hello!', 'greeting'],
    ['谢谢', 'thanks'],
    ['thanks!', 'thanks'],
    ['help', 'help'],
    ['帮助', 'help'],
    ['我的课程', 'my_courses'],
    ['我买过哪些课', 'my_courses'],
    ['买好了，怎么上课？', 'how_to_study'],
    ['在哪里看视频？', 'how_to_study'],
    ['我想买一门课', 'buy'],
    ['Python课多少钱', 'course_info'],
    ['推荐一下', 'recommend'],
    ['what should I learn', 'recommend'],
    ['有没有摄影课', 'search'],
    ['太贵了', 'price_objection'],
    ['too expensive', 'price_objection'],
    ['怎么退款', 'refund'],
    ['我要投诉', 'complaint'],
    ['转人工', 'human'],
    ['今天天气怎么样', 'small_talk'],
  ])('%s → %s', (text, kind) => {
    expect(intentOf(text).kind).toBe(kind);
  });

  it('switches to the language asked for and keeps topics and budget for search', () => {
    expect(intentOf('用英文')).toEqual({ kind: 'switch_language', locale: 'en' });
    expect(intentOf('有没有摄影课')).toMatchObject({ kind: 'search', tags: ['photography'] });
    expect(intentOf('100元以内的摄影课')).toMatchObject({ kind: 'search', tags: ['photography'], budget: { maxMinor: 10000, currency: 'CNY' } });
  });

  it('resolves "the second one", "第二个" and "最后一个" against the list last shown', () => {
    expect(intentOf('买第二个', listed)).toEqual({ kind: 'buy', course: { kind: 'from_list', courseId: B } });
    expect(intentOf('the second one', listed)).toMatchObject({ course: { kind: 'from_list', courseId: B } });
    expect(intentOf('最后一个多少钱', listed)).toEqual({ kind: 'course_info', course: { kind: 'from_list', courseId: C }, aspect: 'price' });
    // No list shown (or it expired): the follower is asked which course.
    expect(intentOf('买第二个')).toMatchObject({ kind: 'buy', course: { kind: 'unresolved' } });
    expect(intentOf('买第五个', listed)).toMatchObject({ kind: 'buy', course: { kind: 'unresolved' } });
  });

  it('resolves "this one" and "buy it" to the course in focus, and a named course by title', () => {
    const focused = { ...listed, focusCourseId: A };
    expect(intentOf('这个多少钱', focused)).toEqual({ kind: 'course_info', course: { kind: 'in_focus', courseId: A }, aspect: 'price' });
    expect(intentOf('buy it', focused)).toEqual({ kind: 'buy', course: { kind: 'in_focus', courseId: A } });
    expect(intentOf('I want to buy the smartphone photography masterclass')).toMatchObject({ kind: 'buy', course: { kind: 'named', courseId: A } });
    expect(intentOf('我想买一门课', focused)).toMatchObject({ kind: 'buy', course: { kind: 'unresolved' } });
  });

  it('answers an open confirmation card with yes or no, and never confirms without one', () => {
    const card: DialogMemory = { ...listed, focusCourseId: B, pending: { kind: 'confirm_purchase', courseId: B } };
    expect(intentOf('确认', card)).toEqual({ kind: 'confirm_purchase', courseId: B });
    expect(intentOf('yes!', card)).toEqual({ kind: 'confirm_purchase', courseId: B });
    expect(intentOf('buy it', card)).toEqual({ kind: 'confirm_purchase', courseId: B });
    expect(intentOf('算了', card)).toEqual({ kind: 'cancel_purchase' });
    expect(intentOf('确认').kind).not.toBe('confirm_purchase');
    // A low-confidence "yes" without a card does not turn marketing back on.
    expect(intentOf('yes').kind).not.toBe('resubscribe');
    // An opt-out wins even under a card.
    expect(intentOf('退订', card)).toEqual({ kind: 'unsubscribe' });
  });

  it('sets the price objection against the course in view', () => {
    expect(intentOf('太贵了', { ...listed, focusCourseId: C })).toMatchObject({ kind: 'price_objection', course: { kind: 'in_focus', courseId: C } });
    expect(intentOf('too expensive')).toEqual({ kind: 'price_objection', tags: [] });
  });
});

describe('dialog memory', () => {
  const cards = (ids: string[]): Reply => ({
    type: 'course_cards',
    cards: ids.map((courseId) => ({ courseId, title: courseId, description: '', price: { amountMinor: 100, currency: 'CNY' }, priceStars: null, buttons: [] })),
  });

  it('forgets everything after the expiry', () => {
    expect(freshMemory(listed, new Date(at.getTime() + DIALOG_MEMORY_TTL_MS - 1))).toBe(listed);
    expect(freshMemory(listed, new Date(at.getTime() + DIALOG_MEMORY_TTL_MS + 1))).toMatchObject({ lastList: [], focusCourseId: null, pending: null });
  });

  it('remembers the list shown, a course shown alone as the focus, and closes open questions', () => {
    const later = new Date(at.getTime() + 1000);
    expect(memoryAfter(empty, [cards([A, B])], {}, later)).toEqual({ lastList: [A, B], focusCourseId: null, pending: null, updatedAt: later });
    expect(memoryAfter(listed, [cards([C])], {}, later)).toMatchObject({ lastList: [C], focusCourseId: C });
    expect(memoryAfter({ ...listed, pending: { kind: 'confirm_purchase', courseId: A } }, [], {}, later)).toMatchObject({ lastList: [A, B, C], pending: null });
    expect(memoryAfter(listed, [], {}, later)).toBeUndefined();
  });

  it('lets a button or command turn (which reads no memory) replace it only when it shows or sets something', () => {
    const later = new Date(at.getTime() + 1000);
    expect(memoryAfter(empty, [], {}, later, { isBlind: true })).toBeUndefined();
    expect(memoryAfter(empty, [], { pending: null }, later, { isBlind: true })).toEqual({ lastList: [], focusCourseId: null, pending: null, updatedAt: later });
    expect(memoryAfter(empty, [cards([A, B])], {}, later, { isBlind: true })).toMatchObject({ lastList: [A, B] });
  });
});

describe('buttons and commands', () => {
  it('maps buttons and commands, rejecting data it did not emit', () => {
    expect(intentOfAction('page:2')).toEqual({ kind: 'browse', page: 2 });
    expect(intentOfAction('buy:not-a-uuid')).toBeUndefined();
    expect(intentOfAction(`buy:${A}`)).toEqual({ kind: 'buy', course: { kind: 'tapped', courseId: A } });
    expect(intentOfAction(`pay:${A}`)).toEqual({ kind: 'confirm_purchase', courseId: A });
    expect(intentOfAction('nobuy')).toEqual({ kind: 'cancel_purchase' });
    expect(intentOfAction('consent:yes')).toEqual({ kind: 'consent', isGiven: true });
    expect(intentOfCommand('courses', '3')).toEqual({ kind: 'browse', page: 3 });
    expect(intentOfCommand('stop', '')).toEqual({ kind: 'unsubscribe' });
    expect(intentOfCommand('buy', 'python')).toEqual({ kind: 'buy', course: { kind: 'unresolved', tags: [], query: 'python' } });
    expect(intentOfCommand('language', 'en')).toEqual({ kind: 'switch_language', locale: 'en' });
    expect(intentOfCommand('nonsense', '')).toBeUndefined();
  });
});
