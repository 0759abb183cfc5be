import { TAG_LEXICON, tagsInTerms } from '../text/tag-lexicon.js';
import { tokenize } from '../text/tokenize.js';
import type { Intent } from './intent.js';

/*
 * Rules are checked in this order because the earlier intents are the ones a wrong guess would hurt
 * most: an opt-out must never be read as a search, and "switch to English" is not a wish to learn
 * English.
 */
const UNSUBSCRIBE = /^\s*(\/?stop|unsubscribe|opt[ -]?out|退订|取消订阅|不要再发|别再发)\s*[.!。！]*\s*$|退订|取消订阅|unsubscribe/i;
const RESUBSCRIBE = /重新订阅|恢复订阅|再次订阅|\bresubscribe\b|\bsubscribe again\b|^\s*(订阅|subscribe|resume)\s*$/i;
const TO_ENGLISH = /(switch|change|speak|talk|reply|answer)\b.*\b(in )?english|^\s*english( please)?\s*$|切换.*英文|用英文|说英文|英文回复|英文版/i;
const TO_CHINESE = /(switch|change|speak|talk|reply|answer)\b.*\b(in )?chinese|^\s*(chinese|中文)( please)?\s*$|切换.*中文|用中文|说中文|中文回复|中文版/i;
const LANGUAGE = /\b(change|switch) (the )?language\b|切换语言|换语言|语言设置/i;
const HELP = /^\s*(help|\?|？|menu|帮助|菜单|怎么用|使用说明|你能做什么|what can you do)\s*[?？!！]*\s*$|\bhelp\b|帮助/i;
const GREETING = /^\s*(hi|hello|hey|yo|good (morning|afternoon|evening)|你好|您好|嗨|哈喽|哈啰|早上好|晚上好|下午好|在吗)\s*[!！.。~～]*\s*$/i;
const MY_COURSES = /\bmy courses\b|\bmy purchases\b|what (did|have) i (buy|bought|purchased)|我的课程|我买的|已购|已经买|我的订单/i;
const BUY = /\b(buy|purchase|order|pay for|checkout)\b|购买|买|下单|付款|支付/i;
const PRICE = /\bhow much\b|\bprice\b|\bcost\b|\bwhat'?s in\b|\bwhat is in\b|\bdetails?\b|\babout the course\b|多少钱|价格|价钱|费用|几块|包含|内容|讲什么|介绍一下|详情/i;
const RECOMMEND = /\brecommend|\bsuggest|\bwhat should i (learn|take|study)|\bpicks?\b|推荐|适合我|学什么|有什么好/i;

/** Words that only carry the intent, removed before the rest of the text is used as a course query. */
const INTENT_WORDS = /\b(i want to|i'd like to|please|can i|buy|purchase|order|pay for|checkout|how much|is|the|price|of|cost|what'?s in|what is in|details?|about|course|courses|recommend|suggest|search|find|for|me|show)\b|购买|买|下单|付款|支付|多少钱|价格|价钱|费用|包含|内容|讲什么|介绍一下|详情|课程|这门课|的|我想|我要|请|推荐|搜索|找/gi;

function courseQuery(text: string): string | undefined {
  const query = text.replace(INTENT_WORDS, ' ').replace(/[?？!！.。,，]/g, ' ').replace(/\s+/g, ' ').trim();
  return query.length > 0 ? query : undefined;
}

const HAN = /\p{Script=Han}/u;
const HAN_WORDS: ReadonlyArray<[string, string]> = Object.entries(TAG_LEXICON).flatMap(([tag, words]) =>
  words.filter((w) => HAN.test(w) && w.length >= 2).map((w) => [w, tag] as [string, string]),
);

/**
 * Topic tags named in a list of terms. Besides exact lexicon words, a Chinese term that contains
 * one counts ('摄影课' names 摄影), because jieba often keeps a topic and 课 together.
 *
 * @example
 * topicsInTerms(['摄影课']) // ['photography']
 */
export function topicsInTerms(terms: readonly string[]): string[] {
  const tags = new Set(tagsInTerms(terms));
  for (const term of terms) {
    if (!HAN.test(term)) continue;
    for (const [word, tag] of HAN_WORDS) if (term !== word && term.includes(word)) tags.add(tag);
  }
  return [...tags];
}

/**
 * Reads the intent of free text in Chinese or English. Pure and fast (a few regexes and one
 * tokenization); anything it cannot place becomes a `search` when it names a topic or a word worth
 * looking up, and a `fallback` otherwise.
 *
 * @example
 * classifyIntent('退订') // { kind: 'unsubscribe' }
 * classifyIntent('有没有摄影课') // { kind: 'search', query: '有没有摄影课', tags: ['photography'] }
 */
export function classifyIntent(text: string): Intent {
  const trimmed = text.trim();
  if (UNSUBSCRIBE.test(trimmed)) return { kind: 'unsubscribe' };
  if (RESUBSCRIBE.test(trimmed)) return { kind: 'resubscribe' };
  if (TO_ENGLISH.test(trimmed)) return { kind: 'switch_language', locale: 'en' };
  if (TO_CHINESE.test(trimmed)) return { kind: 'switch_language', locale: 'zh-CN' };
  if (LANGUAGE.test(trimmed)) return { kind: 'switch_language' };
  if (GREETING.test(trimmed)) return { kind: 'greeting' };
  if (HELP.test(trimmed)) return { kind: 'help' };
  if (MY_COURSES.test(trimmed)) return { kind: 'my_courses' };
  if (BUY.test(trimmed)) return { kind: 'buy', query: courseQuery(trimmed) };
  if (PRICE.test(trimmed)) return { kind: 'course_info', query: courseQuery(trimmed) };
  const terms = tokenize(trimmed);
  const tags = topicsInTerms(terms);
  if (RECOMMEND.test(trimmed) && tags.length === 0) return { kind: 'recommend' };
  if (tags.length > 0 || terms.length > 0) return { kind: 'search', query: trimmed, tags };
  return { kind: 'fallback', text: trimmed };
}
