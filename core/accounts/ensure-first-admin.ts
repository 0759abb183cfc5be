import type { Account } from './account.js';
import { createAccount, type CreateAccountDeps } from './create-account.js';

/**
 * Creates the first admin from configuration when no admin exists yet; does nothing otherwise,
 * so restarting with the same ADMIN_EMAIL/ADMIN_PASSWORD never resets a changed password.
 *
 * @example
 * const created = await ensureFirstAdmin(deps, { email: config.console.adminEmail, password: config.console.adminPassword });
 */
export async function ensureFirstAdmin(deps: CreateAccountDeps, input: { email?: string; password?: string }): Promise<Account | null> {
  if (!input.email || !input.password) return null;
  const admins = await deps.uow.run((r) => r.accounts.countAdmins());
  if (admins > 0) return null;
  return createAccount(deps, { email: input.email, password: input.password, role: 'admin', displayName: 'Admin' }, 'config:ADMIN_EMAIL');
}
