import { readFileSync } from 'node:fs';
import { benchEnvSchema } from '../../../bots/config/bench.js';
import { CONFIG_VARIABLES, ConfigError, loadBenchSettings, loadConfig } from '../../../bots/config/index.js';

describe('loadConfig', () => {
  it('gives working defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.dataDir).toBe('./data');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('names every bad variable and what it expects, without echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://root:hunter2@db/x', ADMIN_API_TOKEN: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT: expected a whole number from 0 to 65535 \(got "eighty"\)/);
    expect(message).toMatch(/DATABASE_URL: expected a postgres:\/\//);
    expect(message).toMatch(/ADMIN_API_TOKEN: expected at least 24 characters/);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('short');
  });

  it('accepts a PostgreSQL URL and treats empty values as unset', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', ADMIN_API_TOKEN: '' });
    expect(config.database.url).toBe('postgres://u@127.0.0.1:5432/db');
    expect(config.adminApiToken).toBeUndefined();
  });

  it('trusts no proxy unless TRUST_PROXY says which', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).http.trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback,10.0.0.0/8' }).http.trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY: expected false, true, a number/);
  });

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(40);
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
    expect(Object.keys(benchEnvSchema.shape).filter((name) => !documented.has(name))).toEqual([]);
  });

  it('validates benchmark settings the same way', () => {
    expect(loadBenchSettings({}).postgresUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(loadBenchSettings({ TEST_DATABASE_URL: 'postgres://t@h/db', BENCH_TELEGRAM_DATABASES: 'postgres' })).toMatchObject({ postgresUrl: 'postgres://t@h/db', telegramDatabases: ['postgres'] });
    expect(() => loadBenchSettings({ BENCH_API_EVENTS: 'lots' })).toThrow(/BENCH_API_EVENTS: expected a whole number/);
  });
});
