import { isIP } from 'node:net';
import { z } from 'zod';
import { envBoolean, envInt, envOptional, envUrl } from './env-schema.js';

/** Process, HTTP, database and admin settings. Every variable is documented in .env.example. */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: envInt(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: envUrl(/^postgres(ql)?:\/\//, 'expected a postgres://user@host:port/database URL, or leave it empty for embedded PGlite'),
  DATABASE_POOL_SIZE: envInt(10, 1, 200),
  SEED_DEMO_DATA: envBoolean(true),
  ADMIN_API_TOKEN: envOptional().refine((v) => v === undefined || v.length >= 24, { message: 'expected at least 24 characters' }),
  SHUTDOWN_TIMEOUT_MS: envInt(10_000, 100, 120_000),
  TRUST_PROXY: envOptional().transform((v, ctx) => {
    const parsed = parseTrustProxy(v);
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected false, true, a number of proxy hops, or a comma-separated list of loopback, linklocal, uniquelocal and IP addresses or CIDR ranges' });
      return z.NEVER;
    }
    return parsed;
  }),
});

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** express's `trust proxy` setting from TRUST_PROXY; undefined when the value makes no sense. */
function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || ['false', '0', 'no'].includes(value)) return false;
  if (['true', 'yes'].includes(value)) return true;
  if (/^[1-9]\d?$/.test(value)) return Number(value);
  const parts = value.split(',').map((p) => p.trim());
  const isValid = parts.every((part) => PROXY_NAMES.has(part) || isIP(part.replace(/\/\d{1,3}$/, '')) !== 0);
  return isValid ? parts.join(', ') : undefined;
}

export function toBaseConfig(env: z.output<typeof baseEnvSchema>) {
  return {
    env: env.NODE_ENV,
    http: { port: env.PORT, host: env.HOST, trustProxy: env.TRUST_PROXY },
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    seedDemoData: env.SEED_DEMO_DATA,
    adminApiToken: env.ADMIN_API_TOKEN,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}
