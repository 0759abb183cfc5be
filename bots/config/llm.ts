import { z } from 'zod';
import { envInt, envOptional, envUrl } from './env-schema.js';

/** The optional language model for free questions (an OpenAI-compatible chat API). Documented in .env.example. */
export const llmEnvSchema = z.object({
  LLM_BASE_URL: envUrl(/^https?:\/\//, 'expected the http(s) base URL of an OpenAI-compatible API, such as https://api.deepseek.com/v1'),
  LLM_API_KEY: envOptional(),
  LLM_MODEL: envOptional(),
  LLM_TIMEOUT_MS: envInt(4000, 200, 60_000),
});

export function toLlmConfig(env: z.output<typeof llmEnvSchema>) {
  return {
    /** Undefined (off) unless both the base URL and the model are set. */
    llm: env.LLM_BASE_URL && env.LLM_MODEL ? { baseUrl: env.LLM_BASE_URL, apiKey: env.LLM_API_KEY, model: env.LLM_MODEL, timeoutMs: env.LLM_TIMEOUT_MS } : undefined,
  };
}
