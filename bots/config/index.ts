import { z } from 'zod';
import { baseEnvSchema, toBaseConfig } from './base.js';
import { benchEnvSchema, toBenchSettings } from './bench.js';
import { consoleEnvSchema, toConsoleConfig } from './console.js';
import { toWechatConfig, wechatEnvSchema } from './wechat.js';
import { telegramEnvSchema, toTelegramConfig } from './telegram.js';
import { jobsEnvSchema, toJobsConfig } from './jobs.js';
import { learningEnvSchema, toLearningConfig } from './learning.js';
import { llmEnvSchema, toLlmConfig } from './llm.js';
import { handoffEnvSchema, toHandoffConfig } from './handoff.js';

/*
 * The only place that reads process.env. Each section of the configuration has its own file with
 * a zod schema over the variables it owns and a function that shapes them; they are merged here,
 * validated together, and frozen. To add a section: spread its schema's `.shape` into envSchema
 * and its config into toConfig.
 */
const envSchema = z.object({
  ...baseEnvSchema.shape,
  ...consoleEnvSchema.shape,
  ...wechatEnvSchema.shape,
  ...telegramEnvSchema.shape,
  ...jobsEnvSchema.shape,
  ...learningEnvSchema.shape,
  ...llmEnvSchema.shape,
  ...handoffEnvSchema.shape,
});

type Env = z.output<typeof envSchema>;

/** Every environment variable the configuration reads (each is documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

const toConfig = (env: Env) => ({
  ...toBaseConfig(env),
  ...toConsoleConfig(env),
  ...toWechatConfig(env),
  ...toTelegramConfig(env),
  ...toJobsConfig(env),
  ...toLearningConfig(env),
  ...toLlmConfig(env),
  ...toHandoffConfig(env),
});

export type Config = Readonly<ReturnType<typeof toConfig>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable and its meaning.`);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates the environment into a frozen, typed config; throws a `ConfigError` naming every bad
 * variable and what it expects.
 *
 * @example
 * const config = loadConfig(); // reads process.env
 * const testConfig = loadConfig({ PORT: '0', ADMIN_API_TOKEN: 'x'.repeat(32) });
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}${describeValue(env, issue.path)}`));
  }
  return deepFreeze(toConfig(parsed.data));
}

/**
 * Settings of the benchmark scripts, validated like the app's configuration.
 *
 * @example
 * const { postgresUrl, apiEvents } = loadBenchSettings();
 */
export function loadBenchSettings(env: Record<string, string | undefined> = process.env): Readonly<ReturnType<typeof toBenchSettings>> {
  const parsed = benchEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}${describeValue(env, issue.path)}`));
  }
  return deepFreeze(toBenchSettings(parsed.data));
}

/** Shows the bad value, except for variables that may hold secrets. */
function describeValue(env: Record<string, string | undefined>, path: PropertyKey[]): string {
  const name = String(path[0] ?? '');
  if (!name || /TOKEN|SECRET|PASSWORD|KEY|URL/.test(name)) return '';
  const value = env[name];
  return value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
}
