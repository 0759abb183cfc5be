import { and, count, eq, gt, gte, lte } from 'drizzle-orm';
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

export class PgLoginFailureRepository implements LoginFailureRepository {
  constructor(private readonly db: Db) {}

  async record(email: string, ip: string, at: Date): Promise<void> {
    await this.db.insert(loginFailures).values({ email, ip, at });
    // Keep the table small: failures older than a day never count again.
    await this.db.delete(loginFailures).where(lte(loginFailures.at, new Date(at.getTime() - 86_400_000)));
  }

  async countSince(email: string, ip: string, since: Date): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(loginFailures)
      .where(and(eq(loginFailures.email, email), eq(loginFailures.ip, ip), gte(loginFailures.at, since)));
    return row?.n ?? 0;
  }

  async clear(email: string, ip: string): Promise<void> {
    await this.db.delete(loginFailures).where(and(eq(loginFailures.email, email), eq(loginFailures.ip, ip)));
  }
}
