import { and, count, eq, gt, gte, lte, sql } from 'drizzle-orm';
import type { LoginFailureRepository, SessionRepository, StoredSession } from '../../core/index.js';
import { accountSessions, loginFailures } from '../accounts-schema.js';
import type { Db } from '../database.js';

export class PgSessionRepository implements SessionRepository {
  constructor(private readonly db: Db) {}

  async insert(session: { tokenHash: string; accountId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void> {
    await this.db.insert(accountSessions).values({ ...session, userAgent: session.userAgent?.slice(0, 300) ?? null });
  }

  async findByTokenHash(tokenHash: string, now: Date): Promise<StoredSession | null> {
    const [row] = await this.db
      .select({ id: accountSessions.id, accountId: accountSessions.accountId, csrfToken: accountSessions.csrfToken, expiresAt: accountSessions.expiresAt })
      .from(accountSessions)
      .where(and(eq(accountSessions.tokenHash, tokenHash), gt(accountSessions.expiresAt, now)));
    return row ?? null;
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.db.delete(accountSessions).where(eq(accountSessions.tokenHash, tokenHash));
  }

  async deleteForAccount(accountId: string): Promise<void> {
    await this.db.delete(accountSessions).where(eq(accountSessions.accountId, accountId));
  }
}

/** Any constant: the first key of the advisory locks that serialise attempts on one (email, ip). */
const LOGIN_ATTEMPT_LOCK_SPACE = 727_274_011;

export class PgLoginFailureRepository implements LoginFailureRepository {
  constructor(private readonly db: Db) {}

  async takeAttempt(email: string, ip: string, at: Date, since: Date, max: number): Promise<boolean> {
    // The lock is held to the end of the transaction, so the next attempt on this pair counts
    // only after this one's row is committed (or not taken). Nested in a caller's transaction it
    // runs in a savepoint and the lock lasts until the caller commits.
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${LOGIN_ATTEMPT_LOCK_SPACE}, hashtext(${`${email} ${ip}`}))`);
      const [row] = await tx
        .select({ n: count() })
        .from(loginFailures)
        .where(and(eq(loginFailures.email, email), eq(loginFailures.ip, ip), gte(loginFailures.at, since)));
      if ((row?.n ?? 0) >= max) return false;
      await tx.insert(loginFailures).values({ email, ip, at });
      // Keep the table small: attempts older than a day never count again.
      await tx.delete(loginFailures).where(lte(loginFailures.at, new Date(at.getTime() - 86_400_000)));
      return true;
    });
  }

  async clear(email: string, ip: string): Promise<void> {
    await this.db.delete(loginFailures).where(and(eq(loginFailures.email, email), eq(loginFailures.ip, ip)));
  }
}
