import { classifyIntent, intentOfAction, intentOfCommand } from '../../../core/index.js';

describe('classifyIntent', () => {
  it.each([
    ['退订', 'unsubscribe'],
    ['unsubscribe', 'unsubscribe'],
    ['STOP', 'unsubscribe'],
    ['重新订阅', 'resubscribe'],
    ['subscribe', 'resubscribe'],
    ['switch to English', 'switch_language'],
    ['说中文', 'switch_language'],
    ['你好', 'greeting'],
    ['hello!', 'greeting'],
    ['help', 'help'],
    ['帮助', 'help'],
    ['我的课程', 'my_courses'],
    ['my courses', 'my_courses'],
    ['我想买Python课', 'buy'],
    ['buy the photography course', 'buy'],
    ['Python课多少钱', 'course_info'],
    ["what's in the excel course?", 'course_info'],
    ['推荐', 'recommend'],
    ['what should I learn', 'recommend'],
    ['有没有摄影课', 'search'],
    ['data analysis', 'search'],
    ['🙂', 'fallback'],
  ])('%s → %s', (text, kind) => {
    expect(classifyIntent(text).kind).toBe(kind);
  });

  it('keeps topics found in the text and a course query without intent words', () => {
    expect(classifyIntent('有没有摄影课')).toMatchObject({ kind: 'search', tags: ['photography'] });
    expect(classifyIntent('I want to learn English')).toMatchObject({ kind: 'search', tags: ['english'] });
    expect(classifyIntent('how much is the python course')).toEqual({ kind: 'course_info', query: 'python' });
  });

  it('maps buttons and commands, rejecting data it did not emit', () => {
    expect(intentOfAction('page:2')).toEqual({ kind: 'browse', page: 2 });
    expect(intentOfAction('buy:not-a-uuid')).toBeUndefined();
    expect(intentOfAction('consent:yes')).toEqual({ kind: 'consent', isGiven: true });
    expect(intentOfCommand('courses', '3')).toEqual({ kind: 'browse', page: 3 });
    expect(intentOfCommand('stop', '')).toEqual({ kind: 'unsubscribe' });
    expect(intentOfCommand('language', 'en')).toEqual({ kind: 'switch_language', locale: 'en' });
    expect(intentOfCommand('nonsense', '')).toBeUndefined();
  });
});
