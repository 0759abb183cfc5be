import type { Locale } from '../followers/follower.js';
import { extractBudget, type Budget } from './extract-budget.js';
import { extractTopics } from './extract-topics.js';
import { extractCourseMention, matchCourseReference, type CourseMatch, type CourseMention, type CourseTitles } from './course-reference.js';
import { loadCorpus } from './corpus.js';
import { scoreIntents, trainIntentModel, type IntentModel, type IntentScore } from './intent-model.js';
import type { IntentName } from './intents.js';
import { normalizeText } from './normalize-text.js';
import { mentionsMessaging, readOptOut, type OptOutReading } from './opt-out-guard.js';

/**
 * Below this probability the model's best intent becomes `out_of_scope` (the dialog's fallback).
 * Chosen by `chooseConfidenceThreshold` on 5-fold cross-validation of the corpus train split, never
 * on the held-out split; `npm run eval:dialog` prints the value cross-validation picks and a test
 * fails when this constant and that value disagree.
 */
export const CONFIDENCE_THRESHOLD = 0.26;

/**
 * An `unsubscribe` that only the model sees (no opt-out lexicon pattern matched) needs at least
 * this probability; below it the message becomes `out_of_scope`, whose reply lists /stop. A policy,
 * not a tuned value: a wrong opt-out silently ends marketing consent.
 */
export const UNSUBSCRIBE_MIN_CONFIDENCE = 0.5;

export interface Entities {
  /** Topic tag ids (core/text/tag-lexicon.ts), in order of mention; empty for `switch_language`. */
  topics: string[];
  /**
   * "the second one", "最后一个", "this one", on course intents (price, details, buy, refund, …):
   * resolved by the caller against the list it last showed or the course in view.
   */
  courseMention?: CourseMention;
  /** A catalogue course named by (fuzzy) title, when the caller passed `courses`. */
  course?: CourseMatch;
  budget?: Budget;
  /** The language asked for, on `switch_language` ("说英文" → 'en'); absent when not said. */
  locale?: Locale;
}

export interface Understanding {
  intent: IntentName;
  /** The model's probability for `intent`; 1 when the opt-out lexicon decided. */
  confidence: number;
  entities: Entities;
  /** What settled the intent: the model, the opt-out lexicon, or a probability under the bar. */
  decidedBy: 'model' | 'opt_out_lexicon' | 'threshold';
}

export interface UnderstandOptions {
  /** Courses to match titles against (usually the on-sale catalogue). */
  courses?: readonly CourseTitles[];
  /** Overrides CONFIDENCE_THRESHOLD (for evaluation). */
  threshold?: number;
}

/**
 * The intent from the model's ranking and the opt-out lexicon's reading. Exactly how unsubscribe is
 * decided: (1) a lexicon opt-out is `unsubscribe` whatever the model says; (2) a lexicon
 * "keep subscribed" ("取消退订", "undo the unsubscribe") is `resubscribe`; text about nothing that
 * could be unsubscribed from ("stop the music") vetoes a model `unsubscribe`, and the runner-up is taken; (3) a model-only
 * `unsubscribe` of text about messages needs UNSUBSCRIBE_MIN_CONFIDENCE; (4) anything under `threshold` is
 * `out_of_scope`.
 *
 * @example
 * decideIntent([{ intent: 'refund', probability: 0.9 }], 'none', 0.1, '我要退款') // { intent: 'refund', confidence: 0.9, decidedBy: 'model' }
 */
export function decideIntent(ranked: readonly IntentScore[], reading: OptOutReading, threshold: number, normalized: string): Pick<Understanding, 'intent' | 'confidence' | 'decidedBy'> {
  if (reading === 'opt_out') return { intent: 'unsubscribe', confidence: 1, decidedBy: 'opt_out_lexicon' };
  if (reading === 'keep_subscribed') return { intent: 'resubscribe', confidence: 1, decidedBy: 'opt_out_lexicon' };
  const candidates = ranked[0]?.intent === 'unsubscribe' && !mentionsMessaging(normalized) ? ranked.filter((s) => s.intent !== 'unsubscribe') : ranked;
  const top = candidates[0];
  if (!top) return { intent: 'out_of_scope', confidence: 1, decidedBy: 'threshold' };
  const bar = top.intent === 'unsubscribe' ? Math.max(threshold, UNSUBSCRIBE_MIN_CONFIDENCE) : threshold;
  if (top.probability < bar) return { intent: 'out_of_scope', confidence: top.probability, decidedBy: 'threshold' };
  return { intent: top.intent, confidence: top.probability, decidedBy: 'model' };
}

const COURSE_INTENTS: ReadonlySet<IntentName> = new Set(['price', 'price_objection', 'course_details', 'buy', 'refund', 'how_to_study', 'complaint', 'recommend', 'search']);

const LANGUAGE_NAMES: ReadonlyArray<readonly [RegExp, Locale]> = [
  [/英文|英语|english/g, 'en'],
  [/中文|汉语|普通话|国语|chinese|mandarin/g, 'zh-CN'],
];

/** The language named last ("我看不懂英文，用中文" asks for Chinese). */
function requestedLocale(normalized: string): Locale | undefined {
  let best: { at: number; locale: Locale } | undefined;
  for (const [pattern, locale] of LANGUAGE_NAMES) {
    for (const match of normalized.matchAll(pattern)) if (!best || match.index > best.at) best = { at: match.index, locale };
  }
  return best?.locale;
}

/**
 * Reads one follower message: intent with confidence (see `decideIntent`) and entities (topics,
 * course mention, catalogue course by title, budget, requested language). Pure and fast (well
 * under a millisecond after jieba's first load); the model comes from `loadIntentModel` or
 * `trainIntentModel`.
 *
 * @example
 * understandMessage(loadIntentModel(), '有沒有100元以內的攝影課')
 * // { intent: 'search', confidence: 0.86, decidedBy: 'model', entities: { topics: ['photography'], budget: { maxMinor: 10000, currency: 'CNY' } } }
 */
export function understandMessage(model: IntentModel, text: string, options: UnderstandOptions = {}): Understanding {
  const normalized = normalizeText(text);
  const ranked = normalized ? scoreIntents(model, normalized) : [];
  let decided = normalized
    ? decideIntent(ranked, readOptOut(normalized), options.threshold ?? CONFIDENCE_THRESHOLD, normalized)
    : { intent: 'out_of_scope' as const, confidence: 1, decidedBy: 'threshold' as const };
  const course = options.courses ? matchCourseReference(normalized, options.courses) : undefined;
  // A message that names a course on sale by its title is about that course ("手机摄影入门多少钱"),
  // even when the model reads it as off-topic: the most likely course intent stands in for out_of_scope.
  const aboutCourse = course && decided.intent === 'out_of_scope' ? ranked.find((s) => COURSE_INTENTS.has(s.intent)) : undefined;
  if (aboutCourse) decided = { intent: aboutCourse.intent, confidence: aboutCourse.probability, decidedBy: 'model' };
  const entities: Entities = { topics: decided.intent === 'switch_language' ? [] : extractTopics(normalized) };
  // "got it", "that's it": a pointer word names a course only when the message is about one.
  const courseMention = COURSE_INTENTS.has(decided.intent) ? extractCourseMention(normalized) : undefined;
  if (courseMention) entities.courseMention = courseMention;
  if (course) entities.course = course;
  const budget = extractBudget(normalized);
  if (budget) entities.budget = budget;
  const locale = decided.intent === 'switch_language' ? requestedLocale(normalized) : undefined;
  if (locale) entities.locale = locale;
  return { ...decided, entities };
}

let served: IntentModel | undefined;

/**
 * The served intent model: trained once per process on the corpus train split, the same model
 * `npm run eval:dialog` evaluates (about a second; call it at start, in the composition root, so
 * no chat turn waits for it).
 *
 * @example
 * const model = loadIntentModel();
 * understandMessage(model, '太贵了').intent // 'price_objection'
 */
export function loadIntentModel(): IntentModel {
  served ??= trainIntentModel(loadCorpus().filter((u) => u.split === 'train'));
  return served;
}
