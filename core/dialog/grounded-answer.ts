import { courseTitle, formatMoney, type Course } from '../catalog/course.js';
import type { Locale } from '../followers/follower.js';
import { lessonsInOrder, type CourseOutline } from '../learning/course-content.js';
import { tagName } from '../text/tag-names.js';
import { displayPrice } from './course-cards.js';
import type { DialogTurn } from './dialog-turn.js';

/** How much of a description or lesson text a fact line keeps; the whole prompt stays a few thousand characters. */
const DESCRIPTION_CHARS = 400;
const LESSON_CHARS = 300;
const MAX_FACT_CHARS = 6_000;
const MAX_ANSWER_CHARS = 800;

/*
 * An amount of money in an answer: a number next to a currency word or sign. Every such number must
 * appear in the facts, so the model cannot invent a price ("只要 9.9 元", "$5").
 */
const MONEY = /(?:[¥￥$]|rmb|cny|usd)\s*(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)\s*(?:元|块|rmb|cny|usd|yuan|dollars?|⭐|stars?\b)/giu;
const URL = /https?:\/\/[^\s)）\]】>"']+/giu;

function clip(text: string, chars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= chars ? flat : `${flat.slice(0, chars)}…`;
}

/** One course as fact lines: title, teacher, price on this channel, topics, description. */
function courseLines(course: Course, locale: Locale, isStarsPlatform: boolean): string[] {
  const topics = course.tags.map((tag) => tagName(tag, locale)).join(', ');
  const description = locale === 'en' ? course.descriptionEn : course.descriptionZh;
  return [
    `Course: ${courseTitle(course, locale)}`,
    ...(course.teacherName ? [`  Teacher: ${course.teacherName}`] : []),
    `  Price: ${formatMoney(displayPrice(course, isStarsPlatform))}`,
    ...(topics ? [`  Topics: ${topics}`] : []),
    ...(description ? [`  Description: ${clip(description, DESCRIPTION_CHARS)}`] : []),
  ];
}

/**
 * The on-sale catalogue as facts for a language model, in the follower's language and with the
 * prices of their channel.
 *
 * @example
 * catalogueFacts(courses, 'zh-CN', true) // 'Course: Python 数据分析入门\n  Price: 250 ⭐\n…'
 */
export function catalogueFacts(courses: readonly Course[], locale: Locale, isStarsPlatform: boolean): string {
  return clip(courses.flatMap((course) => courseLines(course, locale, isStarsPlatform)).join('\n'), MAX_FACT_CHARS);
}

/**
 * One course with its lessons (titles, minutes and the start of each text) as facts, so "does it
 * cover pandas?" is answered from what the course contains.
 */
export function courseFactsWithLessons(course: Course, outline: CourseOutline | undefined, locale: Locale, isStarsPlatform: boolean): string {
  const lessons = outline ? lessonsInOrder(outline) : [];
  const lessonLines = lessons.map((lesson, i) => {
    const body = locale === 'en' ? lesson.bodyEn : lesson.bodyZh;
    const minutes = lesson.estimatedMinutes ? ` (${lesson.estimatedMinutes} min)` : '';
    return `  Lesson ${i + 1}: ${locale === 'en' ? lesson.titleEn : lesson.titleZh}${minutes}${body ? ` — ${clip(body, LESSON_CHARS)}` : ''}`;
  });
  return clip([...courseLines(course, locale, isStarsPlatform), `  Lessons: ${lessons.length}`, ...lessonLines].join('\n'), MAX_FACT_CHARS);
}

const digits = (amount: string) => amount.replace(',', '.').replace(/\.0+$/, '');

/**
 * Why an answer may not be shown, or undefined when it may: every amount of money it names is in
 * the facts, and every link it gives is in them too.
 *
 * @example
 * ungroundedReason('只要 9.9 元', 'Price: ¥199.00') // 'price_not_in_facts'
 */
export function ungroundedReason(answer: string, facts: string): 'price_not_in_facts' | 'link_not_in_facts' | 'empty' | undefined {
  if (answer.trim().length === 0) return 'empty';
  const known = new Set([...facts.matchAll(/\d+(?:[.,]\d+)?/g)].map((m) => digits(m[0])));
  for (const match of answer.matchAll(MONEY)) {
    const amount = match[1] ?? match[2];
    if (amount && !known.has(digits(amount))) return 'price_not_in_facts';
  }
  for (const match of answer.matchAll(URL)) if (!facts.includes(match[0])) return 'link_not_in_facts';
  return undefined;
}

/**
 * The language model's answer to the follower's message from `facts`, when a model is configured,
 * answers in time and stays inside the facts; otherwise undefined and the caller gives its own
 * answer. The text never carries a button: buying stays with the confirmation card.
 */
export async function groundedAnswer(turn: DialogTurn, facts: string): Promise<string | undefined> {
  const model = turn.deps.languageModel;
  const question = turn.message.text?.trim();
  if (!model || !question) return undefined;
  const answer = (await model.answer({ question, locale: turn.locale, facts }))?.trim();
  if (answer === undefined || ungroundedReason(answer, facts) !== undefined) return undefined;
  return answer.length <= MAX_ANSWER_CHARS ? answer : `${answer.slice(0, MAX_ANSWER_CHARS)}…`;
}
