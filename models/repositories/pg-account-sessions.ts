import { sql } from 'drizzle-orm';
import type { LoginFailureRepository, SessionRepository, StoredSession } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, tsParam, type PgTimestamp } from './pg-sql.js';

export class PgSessionRepository implements SessionRepository {
  constructor(private readonly db: Db) {}

  async insert(session: { tokenHash: string; accountId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void> {
    await queryRows(
      this.db,
      sql`INSERT INTO account_sessions (token_hash, account_id, csrf_token, expires_at, ip, user_agent)
          VALUES (${session.tokenHash}, ${session.accountId}, ${session.csrfToken}, ${tsParam(session.expiresAt)}, ${session.ip}, ${session.userAgent?.slice(0, 300) ?? null})`,
    );
  }

  async findByTokenHash(tokenHash: string, now: Date): Promise<StoredSession | null> {
    const [row] = await queryRows<{ id: string; account_id: string; csrf_token: string; expires_at: PgTimestamp }>(
      this.db,
      sql`SELECT id, account_id, csrf_token, expires_at FROM account_sessions WHERE token_hash = ${tokenHash} AND expires_at > ${tsParam(now)}`,
    );
    return row ? { id: row.id, accountId: row.account_id, csrfToken: row.csrf_token, expiresAt: toDate(row.expires_at) } : null;
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await queryRows(this.db, sql`DELETE FROM account_sessions WHERE token_hash = ${tokenHash}`);
  }

  async deleteForAccount(accountId: string): Promise<void> {
    await queryRows(this.db, sql`DELETE FROM account_sessions WHERE account_id = ${accountId}`);
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
    return this.db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      await queryRows(tx, sql`SELECT pg_advisory_xact_lock(${LOGIN_ATTEMPT_LOCK_SPACE}, hashtext(${`${email} ${ip}`}))`);
      const [row] = await queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM login_failures WHERE email = ${email} AND ip = ${ip} AND at >= ${tsParam(since)}`,
      );
      if ((row?.n ?? 0) >= max) return false;
      await queryRows(tx, sql`INSERT INTO login_failures (email, ip, at) VALUES (${email}, ${ip}, ${tsParam(at)})`);
      // Keep the table small: attempts older than a day never count again.
      await queryRows(tx, sql`DELETE FROM login_failures WHERE at <= ${tsParam(new Date(at.getTime() - 86_400_000))}`);
      return true;
    });
  }

  async clear(email: string, ip: string): Promise<void> {
    await queryRows(this.db, sql`DELETE FROM login_failures WHERE email = ${email} AND ip = ${ip}`);
  }
}
