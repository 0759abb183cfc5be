import type { Locale } from '../followers/follower.js';

/** One follower question for a language model, with the only facts it may answer from. */
export interface GroundedQuestion {
  question: string;
  /** The language to answer in. */
  locale: Locale;
  /** Catalogue and lesson text, as plain lines: the answer may use nothing else. */
  facts: string;
}

/**
 * An optional chat language model (an OpenAI-compatible API: DeepSeek, Qwen, OpenAI …; see
 * adapters/outbound/openai-chat-model.ts). It only ever returns text: it cannot start a payment,
 * and the dialog checks the text before a follower sees it (core/dialog/grounded-answer.ts).
 */
export interface LanguageModel {
  /** The answer, or undefined when the model is unavailable, too slow or returned nothing usable. */
  answer(question: GroundedQuestion): Promise<string | undefined>;
}
