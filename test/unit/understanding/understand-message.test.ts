import { loadIntentModel, understandMessage, type IntentModel } from '../../../core/understanding/index.js';

let model: IntentModel;
beforeAll(() => {
  model = loadIntentModel();
});

describe('understandMessage: the hard cases of issue #12', () => {
  it.each([
    ['我买过哪些课', 'my_courses'],
    ['买好了，怎么上课？在哪里看视频？', 'how_to_study'],
    ['太贵了', 'price_objection'],
    ['too expensive', 'price_objection'],
    ['谢谢', 'thanks'],
    ['好的', 'thanks'],
    ['ok', 'thanks'],
    ['got it', 'thanks'],
    ['转人工', 'human'],
    ['can I talk to the teacher', 'human'],
    ['有没有python课', 'search'],
    ['我想学英语', 'search'],
    ['switch to English', 'switch_language'],
    ['這門課有多少節課', 'course_details'],
    ['who teaches it', 'course_details'],
    ['我要退款', 'refund'],
    ['cancel my order', 'refund'],
    ['帮我订一张机票', 'out_of_scope'],
  ])('%s → %s', (text, intent) => {
    expect(understandMessage(model, text).intent).toBe(intent);
  });
});

describe('unsubscribe safety', () => {
  it.each(['别再给我发广告了', 'stop sending me messages', '退订', '不要再推送了', '退訂', 'STOP', 'Unsubscribe', '／ｓｔｏｐ'])('%s opts out, by the lexicon', (text) => {
    expect(understandMessage(model, text)).toMatchObject({ intent: 'unsubscribe', decidedBy: 'opt_out_lexicon' });
  });

  it.each(['取消退订', '取消订单', '不要发票', 'stop the video', '我不想学了，可以退钱吗', '重新订阅', 'turn notifications back on'])('%s does not opt out', (text) => {
    expect(understandMessage(model, text).intent).not.toBe('unsubscribe');
  });

  it.each(['stop the music', '不要香菜', 'turn off the lights', '不要发火', '停止计时'])('%s names nothing to unsubscribe from, so it never opts out', (text) => {
    expect(understandMessage(model, text).intent).not.toBe('unsubscribe');
  });

  it.each(['取消退订', '撤销退订', 'undo the unsubscribe', "don't unsubscribe me", 'opt me back in'])('%s is a wish to stay subscribed', (text) => {
    expect(understandMessage(model, text)).toMatchObject({ intent: 'resubscribe', decidedBy: 'opt_out_lexicon' });
  });
});

describe('entities in context', () => {
  it('reads topic and budget from traditional Chinese with full-width digits', () => {
    expect(understandMessage(model, '有沒有１００元以內的攝影課').entities).toMatchObject({ topics: ['photography'], budget: { maxMinor: 10000, currency: 'CNY' } });
  });

  it('gives the requested language and no topic on switch_language', () => {
    expect(understandMessage(model, '我看不懂英文，用中文').entities).toEqual({ topics: [], locale: 'zh-CN' });
    expect(understandMessage(model, 'switch to English').entities).toEqual({ topics: [], locale: 'en' });
  });

  it('keeps an ordinal on a course intent and no pointer word on thanks', () => {
    expect(understandMessage(model, '我要买第二个')).toMatchObject({ intent: 'buy', entities: { courseMention: { kind: 'ordinal', position: 2 } } });
    expect(understandMessage(model, 'got it').entities.courseMention).toBeUndefined();
  });

  it('matches a catalogue course by title when given one', () => {
    const courses = [
      { id: 'c1', titles: ['Python 数据分析实战', 'Python for Data Analysis'] },
      { id: 'c2', titles: ['手机摄影入门', 'Phone Photography Basics'] },
    ];
    expect(understandMessage(model, '手機攝影入門多少錢', { courses })).toMatchObject({ intent: 'price', entities: { course: { courseId: 'c2' } } });
  });

  it('reads an empty message as out of scope', () => {
    expect(understandMessage(model, '   ')).toMatchObject({ intent: 'out_of_scope', decidedBy: 'threshold' });
  });
});
