import type { GroundedQuestion, LanguageModel } from '../../core/index.js';
import type { Logger } from '../observability/index.js';

export interface OpenAiChatModelOptions {
  /** Base URL of an OpenAI-compatible API, e.g. https://api.deepseek.com/v1 (the request goes to `{baseUrl}/chat/completions`). */
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
  logger: Logger;
  /** Replaceable for tests; the global fetch by default. */
  fetch?: typeof fetch;
}

const LANGUAGE = { 'zh-CN': 'Simplified Chinese', en: 'English' } as const;

/** The rules the model answers under; the facts follow them in the same system message. */
function systemPrompt(question: GroundedQuestion): string {
  return [
    'You are the course assistant of a knowledge creator who sells online courses in a chat.',
    `Answer in ${LANGUAGE[question.locale]}, in at most four short sentences, using only the FACTS below.`,
    'If the facts do not answer the question, say so in one sentence and say you can help find, compare and buy courses.',
    'Never state a price, discount or date that is not in the facts. Never promise content a course does not list.',
    'Never ask for payment details and never say an order was placed: buying happens only with the Buy button.',
    '',
    'FACTS:',
    question.facts,
  ].join('\n');
}

interface ChatCompletion {
  choices?: Array<{ message?: { content?: unknown } }>;
}

/**
 * A {@link LanguageModel} over an OpenAI-compatible chat completions API (DeepSeek, Qwen, OpenAI,
 * a local server). Any failure (timeout, HTTP error, unreadable body) is logged without the key
 * and answered with undefined, so the dialog falls back to its own answer.
 *
 * @example
 * const model = new OpenAiChatModel({ baseUrl: 'https://api.deepseek.com/v1', apiKey, model: 'deepseek-chat', timeoutMs: 4000, logger });
 */
export class OpenAiChatModel implements LanguageModel {
  private readonly endpoint: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: OpenAiChatModelOptions) {
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.fetch = options.fetch ?? fetch;
  }

  async answer(question: GroundedQuestion): Promise<string | undefined> {
    const started = performance.now();
    try {
      const response = await this.fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify({
          model: this.options.model,
          temperature: 0.2,
          max_tokens: 400,
          messages: [
            { role: 'system', content: systemPrompt(question) },
            { role: 'user', content: question.question },
          ],
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!response.ok) {
        this.options.logger.warn({ status: response.status, ms: Math.round(performance.now() - started) }, 'language model answered with an error; using the local answer');
        return undefined;
      }
      const content = ((await response.json()) as ChatCompletion).choices?.[0]?.message?.content;
      return typeof content === 'string' && content.trim() ? content.trim() : undefined;
    } catch (error) {
      const reason = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'timeout' : 'unreachable';
      this.options.logger.warn({ reason, ms: Math.round(performance.now() - started) }, 'language model failed; using the local answer');
      return undefined;
    }
  }
}
