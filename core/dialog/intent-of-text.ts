import { extractCourseMention, normalizeText, type CourseMention, type IntentName, type Understanding } from '../understanding/index.js';
import type { DialogMemory } from '../ports/dialog-memory.js';
import type { CourseChoice, Intent } from './intent.js';

/**
 * A model-only `resubscribe` below this probability is not acted on: turning marketing back on
 * must be asked for, not guessed ("yes" alone scores a little `resubscribe`).
 */
export const RESUBSCRIBE_MIN_CONFIDENCE = 0.5;

/*
 * Answers to the confirmation card's question. Read only while a purchase waits for confirmation,
 * as the whole message: they say yes or no to the card, nothing else.
 */
const YES = /^(确认|确定|确认购买|确定购买|是|是的|对|对的|好|好的|嗯|嗯嗯|可以|行|没问题|要|买|买吧|就它|就这个|yes|y|yep|yeah|ok|okay|sure|confirm|go ahead|do it|buy)$/;
const NO = /^(取消|不要|不要了|不用|不用了|算了|不买了|先不买|否|不|no|n|nope|cancel|not now|no thanks|never mind)$/;

function answerToCard(text: string): 'yes' | 'no' | undefined {
  const bare = normalizeText(text).replace(/[\s!！.。~～,，?？]+/g, ' ').trim();
  if (YES.test(bare)) return 'yes';
  if (NO.test(bare)) return 'no';
  return undefined;
}

/** The course a mention points at in the memory: a position in the list last shown, or the course in focus. */
function resolveMention(mention: CourseMention | undefined, memory: DialogMemory): string | undefined {
  if (!mention) return undefined;
  if (mention.kind === 'ordinal') {
    const list = memory.lastList;
    const index = mention.position === -1 ? list.length - 1 : mention.position - 1;
    return index >= 0 && index < list.length ? list[index] : undefined;
  }
  return memory.focusCourseId ?? (memory.lastList.length === 1 ? memory.lastList[0] : undefined);
}

/**
 * Which course the message means: a position in the list just shown wins ("买第二个"), then a
 * course named by title, then the course in focus ("这个", "buy it"); otherwise unresolved, with
 * the topics named so the follower can be asked with a fitting list.
 */
function courseChoiceOf(understanding: Understanding, text: string, memory: DialogMemory): CourseChoice {
  const { entities } = understanding;
  const mention = entities.courseMention ?? extractCourseMention(normalizeText(text));
  if (mention?.kind === 'ordinal') {
    const courseId = resolveMention(mention, memory);
    if (courseId) return { kind: 'from_list', courseId };
  }
  if (entities.course) return { kind: 'named', courseId: entities.course.courseId, score: entities.course.score };
  if (mention?.kind === 'deictic') {
    const courseId = resolveMention(mention, memory);
    if (courseId) return { kind: 'in_focus', courseId };
  }
  return { kind: 'unresolved', tags: entities.topics, query: text };
}

const ABOUT_ONE_COURSE: ReadonlySet<IntentName> = new Set(['price', 'course_details', 'buy', 'price_objection', 'refund']);

/**
 * Whether the intent is about one course, so a course named by title matters to it (the caller
 * then matches titles: `entities.course`).
 *
 * @example
 * isAboutOneCourse('buy') // true
 */
export function isAboutOneCourse(intent: IntentName): boolean {
  return ABOUT_ONE_COURSE.has(intent);
}

const isResolved = (choice: CourseChoice): choice is Exclude<CourseChoice, { kind: 'unresolved' }> => choice.kind !== 'unresolved';

/**
 * The dialog intent of free text, from the understanding model's reading and the follower's dialog
 * memory. An opt-out always wins; while a purchase waits for confirmation a plain yes or no answers
 * it; a course named by position or pointer is looked up in the memory. Pure.
 *
 * @example
 * intentOfText(understandMessage(model, '买第二个'), '买第二个', { lastList: [a, b], focusCourseId: null, pending: null, updatedAt })
 * // { kind: 'buy', course: { kind: 'from_list', courseId: b } }
 */
export function intentOfText(understanding: Understanding, text: string, memory: DialogMemory): Intent {
  const { intent, entities } = understanding;
  if (intent === 'unsubscribe') return { kind: 'unsubscribe' };
  const pending = memory.pending;
  if (pending?.kind === 'confirm_purchase') {
    const answer = answerToCard(text);
    if (answer === 'yes') return { kind: 'confirm_purchase', courseId: pending.courseId, ...(pending.couponCode ? { couponCode: pending.couponCode } : {}) };
    if (answer === 'no') return { kind: 'cancel_purchase' };
  }
  const budget = entities.budget ? { budget: entities.budget } : {};
  switch (intent) {
    case 'greeting':
    case 'thanks':
    case 'small_talk':
    case 'help':
    case 'my_courses':
    case 'how_to_study':
    case 'complaint':
    case 'human':
    case 'out_of_scope':
      // A bare "the second one" after "which course would you like to buy?" picks from that list.
      if (pending?.kind === 'choose_course' && intent === 'out_of_scope') {
        const choice = courseChoiceOf(understanding, text, memory);
        if (choice.kind === 'from_list') return { kind: 'buy', course: choice };
      }
      return { kind: intent };
    case 'resubscribe':
      return understanding.decidedBy === 'model' && understanding.confidence < RESUBSCRIBE_MIN_CONFIDENCE ? { kind: 'out_of_scope' } : { kind: 'resubscribe' };
    case 'switch_language':
      return entities.locale ? { kind: 'switch_language', locale: entities.locale } : { kind: 'switch_language' };
    case 'recommend':
      return { kind: 'recommend', tags: entities.topics, ...budget };
    case 'search':
      return { kind: 'search', query: text.trim(), tags: entities.topics, ...budget };
    case 'price':
    case 'course_details':
      return { kind: 'course_info', course: courseChoiceOf(understanding, text, memory), aspect: intent === 'price' ? 'price' : 'details' };
    case 'buy': {
      const course = courseChoiceOf(understanding, text, memory);
      // "buy it" right under the confirmation card confirms that card.
      if (pending?.kind === 'confirm_purchase' && isResolved(course) && course.courseId === pending.courseId && course.kind !== 'named') {
        return { kind: 'confirm_purchase', courseId: pending.courseId, ...(pending.couponCode ? { couponCode: pending.couponCode } : {}) };
      }
      return { kind: 'buy', course };
    }
    case 'price_objection': {
      const choice = courseChoiceOf(understanding, text, memory);
      const inView = memory.focusCourseId ?? (pending?.kind === 'confirm_purchase' ? pending.courseId : undefined);
      const course: CourseChoice | undefined = isResolved(choice) ? choice : inView ? { kind: 'in_focus', courseId: inView } : undefined;
      return { kind: 'price_objection', tags: entities.topics, ...(course ? { course } : {}), ...budget };
    }
    case 'refund': {
      const choice = courseChoiceOf(understanding, text, memory);
      return isResolved(choice) ? { kind: 'refund', courseId: choice.courseId } : { kind: 'refund' };
    }
  }
}
