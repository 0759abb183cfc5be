import { extractBudget, extractCourseMention, extractTopics, matchCourseReference, normalizeText, mentionsMessaging, parseChineseNumber, readOptOut, toSimplified } from '../../../core/understanding/index.js';
import { TAG_LEXICON, TAG_NAMES, tagName, tagsWithoutNames } from '../../../core/text/index.js';

const read = <T>(extract: (normalized: string) => T) => (text: string) => extract(normalizeText(text));

describe('normalizeText', () => {
  it('folds full-width forms, traditional characters and case', () => {
    expect(normalizeText('這門課多少錢？ＰＹＴＨＯＮ')).toBe('这门课多少钱?python');
    expect(toSimplified('攝影課程價格')).toBe('摄影课程价格');
  });
});

describe('extractCourseMention', () => {
  it.each([
    ['the first one', 1],
    ['second', 2],
    ['let me buy the 3rd course', 3],
    ['第二个', 2],
    ['第2个多少钱', 2],
    ['買第三個', 3],
    ['最后一个', -1],
    ['the last one', -1],
    ['option 2', 2],
  ])('%s → position %d', (text, position) => {
    expect(read(extractCourseMention)(text)).toEqual({ kind: 'ordinal', position });
  });

  it.each(['this one', '这个多少钱', 'is it free', '這門課講什麼'])('%s → deictic', (text) => {
    expect(read(extractCourseMention)(text)).toEqual({ kind: 'deictic' });
  });

  it.each(['第一次买课', 'first of all, hello', '第3节讲什么', '你好'])('%s → none', (text) => {
    expect(read(extractCourseMention)(text)).toBeUndefined();
  });
});

describe('extractBudget', () => {
  it.each([
    ['under 100', { maxMinor: 10000 }],
    ['100元以内', { maxMinor: 10000, currency: 'CNY' }],
    ['不超过两百', { maxMinor: 20000 }],
    ['below 50 stars', { maxMinor: 50, currency: 'XTR' }],
    ['less than $30', { maxMinor: 3000, currency: 'USD' }],
    ['预算300块', { maxMinor: 30000, currency: 'CNY' }],
    ['一百五以下的课', { maxMinor: 15000 }],
    ['預算不超過五百元', { maxMinor: 50000, currency: 'CNY' }],
    ['max 1k rmb', { maxMinor: 100000, currency: 'CNY' }],
  ])('%s → %j', (text, budget) => {
    expect(read(extractBudget)(text)).toEqual(budget);
  });

  it.each(['第二个多少钱', '一共有几节课', '7天内能退款吗'])('%s → none', (text) => {
    expect(read(extractBudget)(text)).toBeUndefined();
  });

  it.each([
    ['两百', 200],
    ['一百五', 150],
    ['三百五十', 350],
    ['一百零五', 105],
    ['两千三', 2300],
    ['一万五', 15000],
    ['九十九', 99],
    ['十五', 15],
  ])('parseChineseNumber(%s) = %d', (text, value) => {
    expect(parseChineseNumber(text)).toBe(value);
  });
});

describe('extractTopics', () => {
  it.each([
    ['有没有python课', ['python']],
    ['any photography course?', ['photography']],
    ['any photgraphy course?', ['photography']],
    ['有沒有理財課', ['personal-finance']],
    ['想学数据分析和英语口语', ['data-analysis', 'english']],
    ['do you have courses on design and marketing', ['design', 'marketing']],
    ['有資料分析的課嗎', ['data-analysis']],
    ['I want my money back', []],
  ])('%s → %j', (text, tags) => {
    expect(read(extractTopics)(text)).toEqual(tags);
  });
});

describe('matchCourseReference', () => {
  const courses = [
    { id: 'c1', titles: ['Python 数据分析实战', 'Python for Data Analysis'] },
    { id: 'c2', titles: ['手机摄影入门', 'Phone Photography Basics'] },
    { id: 'c3', titles: ['个人理财 21 天', '21 Days of Personal Finance'] },
  ];

  it.each([
    ['我想买那个python数据分析', 'c1'],
    ['phone photgraphy basics please', 'c2'],
    ['手機攝影入門多少錢', 'c2'],
    ['how much is 21 days of personal finance', 'c3'],
  ])('%s → %s', (text, courseId) => {
    expect(matchCourseReference(text, courses)?.courseId).toBe(courseId);
  });

  it('returns nothing for a topic that fits no title well, or two titles equally well', () => {
    expect(matchCourseReference('有没有摄影课', courses)).toBeUndefined();
    expect(matchCourseReference('摄影入门', [...courses, { id: 'c4', titles: ['单反摄影入门'] }])).toBeUndefined();
  });
});

describe('readOptOut', () => {
  it.each([
    ['别再给我发广告了', 'opt_out'],
    ['以后别给我发了', 'opt_out'],
    ['please remove me from your list', 'opt_out'],
    ['取消退订', 'keep_subscribed'],
    ["don't unsubscribe me", 'keep_subscribed'],
    ['是不要收费的吗', 'none'],
    ['取消订单', 'none'],
    ["I can't stop watching", 'none'],
  ])('%s → %s', (text, reading) => {
    expect(read(readOptOut)(text)).toBe(reading);
  });
});

describe('mentionsMessaging', () => {
  it.each([
    ['stop sedning', true],
    ['pelase stop', true],
    ['no more mraketing', true],
    ['不要再发了', true],
    ['不要发票', false],
    ['stop the music', false],
    ['turn off the lights', false],
  ])('%s → %s', (text, about) => {
    expect(mentionsMessaging(normalizeText(text))).toBe(about);
  });
});

describe('tag names', () => {
  it('names every lexicon tag in both languages, Chinese without Latin slugs', () => {
    expect(tagsWithoutNames()).toEqual([]);
    for (const tag of Object.keys(TAG_LEXICON)) expect(TAG_NAMES[tag]!['zh-CN']).not.toContain('-');
    expect(tagName('data-analysis', 'zh-CN')).toBe('数据分析');
    expect(tagName('no-such-tag', 'zh-CN')).toBe('其他方向');
  });
});
