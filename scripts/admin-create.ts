import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createLogger } from '../adapters/index.js';
import { Argon2PasswordHasher } from '../adapters/index.js';
import { createAccount, ROLES, type Role } from '../core/index.js';
import { PgConsoleUnitOfWork } from '../models/index.js';
import { loadConfig } from '../bots/config/index.js';
import { openCoreContext } from '../bots/core-context.js';

/*
 * `npm run admin:create -- --email a@b.cn [--role admin|creator] [--name Ada]`: creates a console
 * account on the configured database. The password is prompted (not echoed to shell history) unless
 * --password-stdin is given, which reads it from standard input for scripts.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string', default: 'admin' }, name: { type: 'string', default: '' }, 'password-stdin': { type: 'boolean', default: false } },
  });
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  const ask = async (question: string) => (await rl.question(question)).trim();
  const email = values.email ?? (await ask('Email: '));
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const password = values['password-stdin'] ? (await rl[Symbol.asyncIterator]().next()).value?.trim() ?? '' : await ask('Password (at least 10 characters): ');
  rl.close();
  const config = loadConfig();
  const ctx = await openCoreContext(config, createLogger('warn'));
  try {
    const account = await createAccount({ uow: new PgConsoleUnitOfWork(ctx.database.db), hasher: new Argon2PasswordHasher(), clock: ctx.clock }, { email, password, role, displayName: values.name }, 'cli:admin-create');
    console.log(`created ${account.role} ${account.email} (${account.id})`);
  } finally {
    await ctx.database.close();
  }
}

main().catch((error: unknown) => {
  console.error('admin:create failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
