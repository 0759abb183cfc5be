import type { AuditLog } from '../ports/repositories.js';
import type { Account, Role, TokenScope } from './account.js';

/**
 * Console accounts. The password hash never leaves this port except through `findCredentials`.
 *
 * @example
 * const account = await accounts.insert({ email: 'a@b.cn', displayName: 'A', role: 'admin', passwordHash });
 */
export interface AccountRepository {
  insert(input: { email: string; displayName: string; role: Role; passwordHash: string }): Promise<Account>;
  findById(id: string): Promise<Account | null>;
  findCredentials(email: string): Promise<{ account: Account; passwordHash: string } | null>;
  list(query: { page: number; pageSize: number }): Promise<{ items: Account[]; total: number }>;
  update(id: string, patch: { displayName?: string; role?: Role; isDisabled?: boolean; passwordHash?: string }): Promise<Account | null>;
  countAdmins(): Promise<number>;
  markLoggedIn(id: string, at: Date): Promise<void>;
}

export interface StoredSession {
  id: string;
  accountId: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Login sessions, looked up by the hash of the cookie's token.
 *
 * @example
 * await sessions.insert({ tokenHash: hashSecret(token), accountId, csrfToken, expiresAt, ip, userAgent });
 */
export interface SessionRepository {
  insert(session: { tokenHash: string; accountId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void>;
  findByTokenHash(tokenHash: string, now: Date): Promise<StoredSession | null>;
  deleteByTokenHash(tokenHash: string): Promise<void>;
  deleteForAccount(accountId: string): Promise<void>;
}

export interface ApiTokenInfo {
  id: string;
  accountId: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/**
 * API tokens for scripts, stored as hashes; the plain token is shown once when issued.
 *
 * @example
 * const token = await tokens.findActive(hashSecret(bearer), now);
 */
export interface ApiTokenRepository {
  insert(token: { accountId: string; name: string; tokenHash: string; prefix: string; scopes: TokenScope[]; expiresAt: Date }): Promise<ApiTokenInfo>;
  findActive(tokenHash: string, now: Date): Promise<ApiTokenInfo | null>;
  list(accountId: string | null): Promise<ApiTokenInfo[]>;
  findById(id: string): Promise<ApiTokenInfo | null>;
  revoke(id: string, at: Date): Promise<void>;
  /** Revokes every live token of an account (its password changed or it was disabled); returns how many. */
  revokeForAccount(accountId: string, at: Date): Promise<number>;
  touch(id: string, at: Date): Promise<void>;
}

/**
 * Login attempts per email and IP, for rate limiting. An attempt is taken before the password is
 * checked and counts as a failure until a successful login clears the pair, so parallel guesses
 * cannot all be checked before the first of them is counted.
 *
 * @example
 * const isAllowed = await failures.takeAttempt('a@b.cn', '127.0.0.1', now, new Date(now.getTime() - 15 * 60_000), 5);
 */
export interface LoginFailureRepository {
  /**
   * Takes one attempt for the pair if fewer than `max` were taken since `since`; false when the
   * limit is reached (nothing is taken then). Atomic: concurrent calls for one pair are serialised.
   */
  takeAttempt(email: string, ip: string, at: Date, since: Date, max: number): Promise<boolean>;
  clear(email: string, ip: string): Promise<void>;
}

/**
 * A slow, salted password hash (argon2id in production).
 *
 * @example
 * const ok = await hasher.verify(await hasher.hash('correct horse'), 'correct horse');
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** The account repositories plus the audit log, over one transaction. */
export interface AccountRepositories {
  accounts: AccountRepository;
  sessions: SessionRepository;
  tokens: ApiTokenRepository;
  loginFailures: LoginFailureRepository;
  audit: AuditLog;
}
