import { normalizeText } from './normalize-text.js';

/**
 * A course named by position in the list the follower was just shown (1-based; -1 is the last), or
 * by pointing at the course in view ("this one", "这个", "it").
 */
export type CourseMention = { kind: 'ordinal'; position: number } | { kind: 'deictic' };

const EN_ORDINALS: Readonly<Record<string, number>> = {
  first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5,
  sixth: 6, '6th': 6, seventh: 7, '7th': 7, eighth: 8, '8th': 8, ninth: 9, '9th': 9, tenth: 10, '10th': 10, last: -1,
};
const ZH_DIGITS = '一二两三四五六七八九十';
const EN_ORDINAL = /\b(the )?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|eighth|8th|ninth|9th|tenth|10th|last)\b( (one|course|class|option|item))?/;
const EN_NUMBERED = /(?:\b(?:number|no\.?|option|course|#)\s*)(\d{1,2})\b|#(\d{1,2})\b/;
// 第二次 / 第一天 / 第3节 are times and lessons, not courses in a list.
const ZH_ORDINAL = /第\s*([一二两三四五六七八九十]|\d{1,2})\s*(?![\d一二两三四五六七八九十次天年周步名季集章节课讲期])(个|门|本|项|套|款|部|种)?/;
const ZH_LAST = /最后(一|那|这)?(个|门|本|项|套|款)|倒数第一/;
const ZH_FIRST_ALIAS = /头一(个|门)|首个/;
const DEICTIC = /\b(this|that)( one| course| class)?\b|\bit\b|这个|这门|那个|那门|这一门|这课|这套|该课程|它/;

/**
 * The course reference in normalized text: an ordinal ("the second one", "第2个", "最后一个") or a
 * deictic ("this one", "这个"); undefined when there is neither. An ordinal wins over a deictic
 * ("这个第二个" is the second).
 *
 * @example
 * extractCourseMention('买第二个') // { kind: 'ordinal', position: 2 }
 * extractCourseMention('the last one') // { kind: 'ordinal', position: -1 }
 * extractCourseMention('how much is this one') // { kind: 'deictic' }
 */
export function extractCourseMention(normalized: string): CourseMention | undefined {
  if (ZH_LAST.test(normalized)) return { kind: 'ordinal', position: -1 };
  if (ZH_FIRST_ALIAS.test(normalized)) return { kind: 'ordinal', position: 1 };
  const zh = ZH_ORDINAL.exec(normalized);
  if (zh) {
    const value = zh[1]!;
    // 两 sits between 二 and 三 in ZH_DIGITS, so from 两 on the index is the number itself.
    const index = ZH_DIGITS.indexOf(value);
    const position = /\d/.test(value) ? Number(value) : index >= 2 ? index : index + 1;
    if (position >= 1) return { kind: 'ordinal', position };
  }
  const en = EN_ORDINAL.exec(normalized);
  // A bare "first" ("first of all", "my first time") is not a reference: it needs "the" or a noun, or to stand alone.
  if (en && (en[1] || en[3] || normalized.replace(/[^a-z0-9 ]/g, '').trim() === en[2])) return { kind: 'ordinal', position: EN_ORDINALS[en[2]!]! };
  const numbered = EN_NUMBERED.exec(normalized);
  if (numbered) return { kind: 'ordinal', position: Number(numbered[1] ?? numbered[2]) };
  if (DEICTIC.test(normalized)) return { kind: 'deictic' };
  return undefined;
}

/** A course as the matcher sees it: its id and every title it goes by (Chinese, English, short names). */
export interface CourseTitles {
  id: string;
  titles: readonly string[];
}

export interface CourseMatch {
  courseId: string;
  /** The title that matched best. */
  title: string;
  /** Share of the title's character grams found in the text, 0–1. */
  score: number;
}

const MIN_SCORE = 0.6;
/** Two courses this close are ambiguous; the caller should ask which one. */
const MIN_MARGIN = 0.1;

function grams(text: string): Set<string> {
  const out = new Set<string>();
  for (const run of text.match(/\p{Script=Han}+|[a-z0-9+#]+/gu) ?? []) {
    const padded = /\p{Script=Han}/u.test(run) ? run : `<${run}>`;
    const n = /\p{Script=Han}/u.test(run) ? 2 : 3;
    const chars = [...padded];
    if (chars.length < n) out.add(padded);
    for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(''));
  }
  return out;
}

/** Without the words every title and message share, which say nothing about which course is meant. */
function stripFiller(normalized: string): string {
  return normalized.replace(/\b(the|a|an|of|for|on|about|course|courses|class)\b/g, ' ').replace(/课程|课|的|这门|那门/g, ' ');
}

/**
 * The catalogue course a message names by title, tolerating typos, missing words and traditional
 * characters: the share of a title's character grams (Han bigrams, Latin trigrams) found in the
 * message, best title of each course. Undefined when no course reaches 0.6 or when two courses
 * are within 0.1 of each other (ambiguous: ask the follower).
 *
 * @example
 * matchCourseReference('我想买那个python数据分析', [
 *   { id: 'c1', titles: ['Python 数据分析实战', 'Python for Data Analysis'] },
 *   { id: 'c2', titles: ['手机摄影入门', 'Phone Photography Basics'] },
 * ]) // { courseId: 'c1', title: 'Python 数据分析实战', score: 0.82 }
 */
export function matchCourseReference(text: string, courses: readonly CourseTitles[]): CourseMatch | undefined {
  const message = grams(stripFiller(normalizeText(text)));
  if (message.size === 0) return undefined;
  const scored: CourseMatch[] = [];
  for (const course of courses) {
    let best: CourseMatch | undefined;
    for (const title of course.titles) {
      const titleGrams = grams(stripFiller(normalizeText(title)));
      if (titleGrams.size === 0) continue;
      let found = 0;
      for (const gram of titleGrams) if (message.has(gram)) found++;
      const score = found / titleGrams.size;
      if (!best || score > best.score) best = { courseId: course.id, title, score };
    }
    if (best) scored.push(best);
  }
  scored.sort((a, b) => b.score - a.score);
  const [first, second] = scored;
  if (!first || first.score < MIN_SCORE) return undefined;
  if (second && first.score - second.score < MIN_MARGIN) return undefined;
  return first;
}
