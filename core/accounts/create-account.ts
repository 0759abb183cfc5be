import { ConflictError, parseInput } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import { newAccountSchema, type Account, type NewAccountInput } from './account.js';
import type { ConsoleUnitOfWork } from './console-ports.js';
import type { PasswordHasher } from './ports.js';

export interface CreateAccountDeps {
  uow: ConsoleUnitOfWork;
  hasher: PasswordHasher;
  clock: Clock;
}

/**
 * Creates an admin or creator account with an argon2 password hash, audited in the same transaction.
 * Throws MalformedInputError for a bad email or a short password, ConflictError when the email is taken.
 *
 * @example
 * const admin = await createAccount(deps, { email: 'ops@zhiliao.cn', password: 'long enough pw', role: 'admin' }, 'cli');
 */
export async function createAccount(deps: CreateAccountDeps, input: NewAccountInput, actor: string): Promise<Account> {
  const parsed = parseInput(newAccountSchema, input);
  const passwordHash = await deps.hasher.hash(parsed.password);
  return deps.uow.run(async (repos) => {
    if (await repos.accounts.findCredentials(parsed.email)) {
      throw new ConflictError('email_taken', `An account with email ${parsed.email} already exists; pick another email or edit that account.`);
    }
    const account = await repos.accounts.insert({ email: parsed.email, displayName: parsed.displayName, role: parsed.role, passwordHash });
    await repos.audit.record({ actor, action: 'account.create', subjectType: 'account', subjectId: account.id, details: { email: account.email, role: account.role } });
    return account;
  });
}
