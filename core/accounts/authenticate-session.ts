import type { Clock } from '../ports/runtime.js';
import { accountActor, type Account, type Principal } from './account.js';
import type { AccountRepositories } from './ports.js';
import { hashSecret } from './secrets.js';

export interface AuthenticatedSession {
  principal: Principal;
  account: Account;
  csrfToken: string;
}

/**
 * The account behind a session cookie's token, or null when the session is unknown, expired, or
 * its account is disabled.
 *
 * @example
 * const session = await authenticateSession({ repos, clock }, cookieToken);
 */
export async function authenticateSession(
  deps: { repos: Pick<AccountRepositories, 'sessions' | 'accounts'>; clock: Clock },
  token: string,
): Promise<AuthenticatedSession | null> {
  const session = await deps.repos.sessions.findByTokenHash(hashSecret(token), deps.clock.now());
  if (!session) return null;
  const account = await deps.repos.accounts.findById(session.accountId);
  if (!account || account.isDisabled) return null;
  return { principal: { id: account.id, role: account.role, actor: accountActor(account.id) }, account, csrfToken: session.csrfToken };
}
