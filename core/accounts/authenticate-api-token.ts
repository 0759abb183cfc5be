import type { Clock } from '../ports/runtime.js';
import { accountActor, type Principal } from './account.js';
import type { AccountRepositories } from './ports.js';
import { hashSecret } from './secrets.js';

/**
 * The principal behind an API token (`Authorization: Bearer zl_…`), or null when the token is
 * unknown, revoked, expired or its account is disabled. Records when the token was last used. The
 * account's admin role comes with the token only if it has the `admin` scope.
 *
 * @example
 * const principal = await authenticateApiToken({ repos, clock }, bearer);
 */
export async function authenticateApiToken(
  deps: { repos: Pick<AccountRepositories, 'tokens' | 'accounts'>; clock: Clock },
  token: string,
): Promise<Principal | null> {
  const now = deps.clock.now();
  const stored = await deps.repos.tokens.findActive(hashSecret(token), now);
  if (!stored) return null;
  const account = await deps.repos.accounts.findById(stored.accountId);
  if (!account || account.isDisabled) return null;
  await deps.repos.tokens.touch(stored.id, now);
  const role = account.role === 'admin' && stored.scopes.includes('admin') ? 'admin' : 'creator';
  return { id: account.id, role, actor: `${accountActor(account.id)}/token:${stored.id}`, scopes: stored.scopes };
}
