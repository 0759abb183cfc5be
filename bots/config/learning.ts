import { z } from 'zod';
import { envInt, envOptional, envUrl } from './env-schema.js';

/** Learning: signed lesson links. Every variable is documented in .env.example. */
export const learningEnvSchema = z.object({
  LESSON_LINK_SECRET: envOptional().refine((v) => v === undefined || v.length >= 32, { message: 'expected at least 32 characters' }),
  LESSON_LINK_TTL_HOURS: envInt(7 * 24, 1, 24 * 365),
  PUBLIC_BASE_URL: envUrl(/^https?:\/\//, 'expected the public http(s) origin of this server, such as https://zhiliao.example.com'),
});

export function toLearningConfig(env: z.output<typeof learningEnvSchema> & { PORT: number }) {
  return {
    learning: {
      linkSecret: env.LESSON_LINK_SECRET,
      linkTtlMs: env.LESSON_LINK_TTL_HOURS * 3_600_000,
      /** Where lesson links point; unset: this machine's port (fine for a demo, not for followers). */
      publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`,
    },
  };
}

