import { z } from 'zod';
import { envInt, envOptional } from './env-schema.js';

/** The admin console: the first admin, sessions and login throttling. */
export const consoleEnvSchema = z.object({
  ADMIN_EMAIL: envOptional().refine((v) => v === undefined || z.email().safeParse(v).success, { message: 'expected an email address' }),
  ADMIN_PASSWORD: envOptional().refine((v) => v === undefined || v.length >= 10, { message: 'expected at least 10 characters' }),
  CONSOLE_SESSION_TTL_HOURS: envInt(12, 1, 24 * 30),
  LOGIN_MAX_FAILURES: envInt(5, 1, 100),
  LOGIN_LOCKOUT_MINUTES: envInt(15, 1, 24 * 60),
});

export function toConsoleConfig(env: z.output<typeof consoleEnvSchema> & { NODE_ENV: string }) {
  return {
    console: {
      adminEmail: env.ADMIN_EMAIL,
      adminPassword: env.ADMIN_PASSWORD,
      sessionTtlMs: env.CONSOLE_SESSION_TTL_HOURS * 3_600_000,
      maxLoginFailures: env.LOGIN_MAX_FAILURES,
      lockoutWindowMs: env.LOGIN_LOCKOUT_MINUTES * 60_000,
      /** Session cookies carry `Secure` in production (behind HTTPS). */
      isSecureCookie: env.NODE_ENV === 'production',
    },
  };
}
