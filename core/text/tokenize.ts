import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;

/** The segmenter loads a 5 MB dictionary (~250 ms), so it is built on first use, not at import. */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const STOP_WORDS = new Set([
  // English
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'can', 'do', 'does', 'for', 'from', 'have', 'how', 'i', 'in',
  'is', 'it', 'me', 'my', 'of', 'on', 'or', 'please', 'so', 'that', 'the', 'this', 'to', 'want', 'what', 'which', 'with',
  'you', 'your', 'would', 'like', 'any', 'some', 'about', 'there', 'get', 'course', 'courses', 'learn',
  // Chinese
  '的', '了', '和', '是', '我', '你', '他', '她', '它', '们', '在', '有', '也', '就', '都', '而', '及', '与', '吗', '呢', '吧',
  '啊', '想', '要', '学', '学习', '课程', '一个', '一些', '什么', '怎么', '这个', '那个', '可以', '请', '有没有', '我们', '推荐',
]);

/**
 * Jieba's segmentation of text, every piece kept (stop words, spaces and punctuation included), for
 * callers that need the words `tokenize` drops, such as an intent model that reads "怎么" and "吗".
 *
 * @example
 * segmentWords('怎么上课') // ['怎么', '上课']
 */
export function segmentWords(text: string): string[] {
  return text ? segmenter().cut(text, false) : [];
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}+#.-]*/u;
const HAN = /\p{Script=Han}/u;

/**
 * Splits Chinese and English text into lowercase terms: Chinese is segmented with jieba, English is
 * split on non-letters; punctuation and stop words are dropped. Used for persona interests,
 * intent classification and content-based recommendation.
 *
 * @example
 * tokenize('我想学Python数据分析') // ['python', '数据分析']
 */
export function tokenize(text: string): string[] {
  if (!text) return [];
  const pieces = HAN.test(text) ? segmenter().cut(text, false) : text.split(/[^\p{L}\p{N}+#.-]+/u);
  const terms: string[] = [];
  for (const piece of pieces) {
    const term = piece.trim().toLowerCase().replace(/[.-]+$/, '');
    if (term.length === 0 || !WORD.test(term) || STOP_WORDS.has(term)) continue;
    if (!HAN.test(term) && term.length < 2) continue;
    terms.push(term);
  }
  return terms;
}
