import { z } from 'zod';
import { DEFAULT_MISUNDERSTOOD_TURNS_BEFORE_HANDOFF } from '../../core/index.js';
import { envInt } from './env-schema.js';

/** Hand-off to a person (the console inbox). Every variable is documented in .env.example. */
export const handoffEnvSchema = z.object({
  HANDOFF_AFTER_MISUNDERSTOOD: envInt(DEFAULT_MISUNDERSTOOD_TURNS_BEFORE_HANDOFF, 0, 20),
});

export function toHandoffConfig(env: z.output<typeof handoffEnvSchema>) {
  return {
    handoff: {
      /** Free-text messages in a row the bot does not understand before a person takes over; 0: never. */
      misunderstoodTurnsBeforeHandoff: env.HANDOFF_AFTER_MISUNDERSTOOD,
    },
  };
}
