import { z } from 'zod';
import { envInt, envOptional, envUrl } from './env-schema.js';

/** Learning: signed lesson links, lesson reminders. Every variable is documented in .env.example. */
export const learningEnvSchema = z.object({
  LESSON_LINK_SECRET: envOptional().refine((v) => v === undefined || v.length >= 32, { message: 'expected at least 32 characters' }),
  LESSON_LINK_TTL_HOURS: envInt(7 * 24, 1, 24 * 365),
  LESSON_REMINDER_STALLED_DAYS: envInt(3, 1, 365),
  LESSON_REMINDERS_PER_DAY: envInt(2, 1, 20),
  LESSON_REMINDER_FALLBACK_HOUR: envInt(20, 0, 23),
  PUBLIC_BASE_URL: envUrl(/^https?:\/\//, 'expected the public http(s) origin of this server, such as https://zhiliao.example.com'),
});

export function toLearningConfig(env: z.output<typeof learningEnvSchema> & { PORT: number }) {
  return {
    learning: {
      linkSecret: env.LESSON_LINK_SECRET,
      linkTtlMs: env.LESSON_LINK_TTL_HOURS * 3_600_000,
      /** Where lesson links point; unset: this machine's port (fine for a demo, not for followers). */
      publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`,
      reminders: {
        stalledAfterDays: env.LESSON_REMINDER_STALLED_DAYS,
        dailyLimit: env.LESSON_REMINDERS_PER_DAY,
        fallbackHour: env.LESSON_REMINDER_FALLBACK_HOUR,
        /** A reminder claimed but not finished this long ago belonged to a dead process. */
        leaseMs: 10 * 60_000,
        pageSize: 500,
      },
    },
  };
}

