import type { Clock } from '../ports/runtime.js';
import { accountActor, emailSchema, type Account } from './account.js';
import type { ConsoleUnitOfWork } from './console-ports.js';
import type { PasswordHasher } from './ports.js';
import { hashSecret, newSecret } from './secrets.js';

export interface LogInDeps {
  uow: ConsoleUnitOfWork;
  hasher: PasswordHasher;
  clock: Clock;
  sessionTtlMs: number;
  /** Failed attempts allowed per email and IP within `lockoutWindowMs` before logins are refused. */
  maxFailures: number;
  lockoutWindowMs: number;
}

export type LogInResult =
  | { ok: true; account: Account; sessionToken: string; csrfToken: string; expiresAt: Date }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'rate_limited'; retryAfterSec: number };

/** A hash of a fixed password, verified when the email is unknown so both paths take the same time. */
let decoyHash: Promise<string> | undefined;

/**
 * Checks an email and password and opens a session. Attempts are counted per email and IP before
 * the password is checked, and a successful login clears them; past the limit, logins from that
 * pair are refused until the window passes, even with the right password. The session token and CSRF token are returned once; only the token's hash is stored.
 *
 * @example
 * const result = await logIn(deps, { email, password, ip: req.ip, userAgent });
 * if (result.ok) res.cookie('zl_session', result.sessionToken, { httpOnly: true });
 */
export async function logIn(deps: LogInDeps, input: { email: string; password: string; ip: string; userAgent: string | null }): Promise<LogInResult> {
  const parsedEmail = emailSchema.safeParse(input.email);
  const email = parsedEmail.success ? parsedEmail.data : input.email.trim().toLowerCase().slice(0, 200);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - deps.lockoutWindowMs);
  // The attempt is counted before the (slow) password check, atomically: counted after, parallel
  // guesses would all be checked before the first failure landed.
  const isAllowed = await deps.uow.run((r) => r.loginFailures.takeAttempt(email, input.ip, now, since, deps.maxFailures));
  if (!isAllowed) return { ok: false, reason: 'rate_limited', retryAfterSec: Math.ceil(deps.lockoutWindowMs / 1000) };

  const credentials = parsedEmail.success ? await deps.uow.run((r) => r.accounts.findCredentials(email)) : null;
  decoyHash ??= deps.hasher.hash('decoy password for unknown emails');
  const isValid = credentials
    ? await deps.hasher.verify(credentials.passwordHash, input.password)
    : (await deps.hasher.verify(await decoyHash, input.password), false);
  // A wrong password keeps the attempt taken above: that is the failure.
  if (!credentials || !isValid || credentials.account.isDisabled) return { ok: false, reason: 'invalid_credentials' };

  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlMs);
  const account = credentials.account;
  await deps.uow.run(async (r) => {
    await r.sessions.insert({ tokenHash: hashSecret(sessionToken), accountId: account.id, csrfToken, expiresAt, ip: input.ip, userAgent: input.userAgent });
    await r.loginFailures.clear(email, input.ip);
    await r.accounts.markLoggedIn(account.id, now);
    await r.audit.record({ actor: accountActor(account.id), action: 'auth.login', subjectType: 'account', subjectId: account.id, details: { ip: input.ip } });
  });
  return { ok: true, account, sessionToken, csrfToken, expiresAt };
}
