/*
 * Understanding: what a follower's free text asks for (intent with confidence) and what it names
 * (topics, a course, a budget, a language), from a model trained on the labelled bilingual corpus in
 * ./corpus. The dialog calls `loadIntentModel` once and `understandMessage` per message.
 */

// Reading a message
export { understandMessage, loadIntentModel, decideIntent, CONFIDENCE_THRESHOLD, UNSUBSCRIBE_MIN_CONFIDENCE } from './understand-message.js';
export type { Understanding, Entities, UnderstandOptions } from './understand-message.js';
export { INTENTS, isIntentName, type IntentName } from './intents.js';

// Entities, usable on their own
export { matchCourseReference, extractCourseMention } from './course-reference.js';
export type { CourseTitles, CourseMatch, CourseMention } from './course-reference.js';
export { extractBudget, parseChineseNumber, type Budget } from './extract-budget.js';
export { extractTopics } from './extract-topics.js';
export { mentionsMessaging, readOptOut, type OptOutReading } from './opt-out-guard.js';
export { normalizeText } from './normalize-text.js';
export { toSimplified } from './traditional-to-simplified.js';

// Training and evaluation
export { trainIntentModel, scoreIntents, modelFingerprint } from './intent-model.js';
export type { IntentModel, IntentScore, TrainingOptions } from './intent-model.js';
export { loadCorpus, parseCorpus, CorpusFormatError, CORPUS_LANGS } from './corpus.js';
export type { LabelledUtterance, CorpusLang } from './corpus.js';
export { scoreUtterances, predictAt, crossValidate, chooseConfidenceThreshold, reportIntents } from './evaluate-intents.js';
export type { ScoredUtterance, Prediction, IntentReport } from './evaluate-intents.js';
