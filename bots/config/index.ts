import { baseEnvSchema, toBaseConfig } from './base.js';

/*
 * The only place that reads process.env. Each section of the configuration has its own zod schema
 * over the variables it owns; they are merged, validated together, and frozen.
 */
const envSchema = baseEnvSchema;

export type Config = Readonly<ReturnType<typeof toBaseConfig>>;

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
  return deepFreeze({ ...toBaseConfig(parsed.data) });
}

/** Shows the bad value, except for variables that may hold secrets. */
function describeValue(env: Record<string, string | undefined>, path: PropertyKey[]): string {
  const name = String(path[0] ?? '');
  if (!name || /TOKEN|SECRET|PASSWORD|KEY|URL/.test(name)) return '';
  const value = env[name];
  return value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
}

