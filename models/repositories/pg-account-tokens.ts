import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { ApiTokenInfo, ApiTokenRepository, TokenScope } from '../../core/index.js';
import { apiTokens } from '../accounts-schema.js';
import type { Db } from '../database.js';

const columns = {
  id: apiTokens.id,
  accountId: apiTokens.accountId,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  expiresAt: apiTokens.expiresAt,
  revokedAt: apiTokens.revokedAt,
};

export class PgApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly db: Db) {}

  async insert(token: { accountId: string; name: string; tokenHash: string; prefix: string; scopes: TokenScope[]; expiresAt: Date }): Promise<ApiTokenInfo> {
    const [row] = await this.db.insert(apiTokens).values(token).returning(columns);
    return row!;
  }

  async findActive(tokenHash: string, now: Date): Promise<ApiTokenInfo | null> {
    const [row] = await this.db
      .select(columns)
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))));
    return row ?? null;
  }

  async list(accountId: string | null): Promise<ApiTokenInfo[]> {
    return this.db
      .select(columns)
      .from(apiTokens)
      .where(accountId === null ? undefined : eq(apiTokens.accountId, accountId))
      .orderBy(desc(apiTokens.createdAt));
  }

  async findById(id: string): Promise<ApiTokenInfo | null> {
    const [row] = await this.db.select(columns).from(apiTokens).where(eq(apiTokens.id, id));
    return row ?? null;
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.db.update(apiTokens).set({ revokedAt: at }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  }

  async revokeForAccount(accountId: string, at: Date): Promise<number> {
    const rows = await this.db
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    return rows.length;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
  }
}
