import { sql } from 'drizzle-orm';
import type { ApiTokenInfo, ApiTokenRepository, TokenScope } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray, toDate, toDateOrNull, tsParam, type PgTimestamp } from './pg-sql.js';

interface ApiTokenRow {
  id: string;
  account_id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  created_at: PgTimestamp;
  last_used_at: PgTimestamp | null;
  expires_at: PgTimestamp | null;
  revoked_at: PgTimestamp | null;
}

/** Every column but the token's hash, which never leaves the database. */
const TOKEN_COLUMNS = sql`id, account_id, name, prefix, scopes, created_at, last_used_at, expires_at, revoked_at`;

const toTokenInfo = (row: ApiTokenRow): ApiTokenInfo => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  createdAt: toDate(row.created_at),
  lastUsedAt: toDateOrNull(row.last_used_at),
  expiresAt: toDateOrNull(row.expires_at),
  revokedAt: toDateOrNull(row.revoked_at),
});

export class PgApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly db: Db) {}

  async insert(token: { accountId: string; name: string; tokenHash: string; prefix: string; scopes: TokenScope[]; expiresAt: Date }): Promise<ApiTokenInfo> {
    const [row] = await queryRows<ApiTokenRow>(
      this.db,
      sql`INSERT INTO api_tokens (account_id, name, token_hash, prefix, scopes, expires_at)
          VALUES (${token.accountId}, ${token.name}, ${token.tokenHash}, ${token.prefix}, ${pgArray(token.scopes)}::text[], ${tsParam(token.expiresAt)})
          RETURNING ${TOKEN_COLUMNS}`,
    );
    return toTokenInfo(row!);
  }

  async findActive(tokenHash: string, now: Date): Promise<ApiTokenInfo | null> {
    const [row] = await queryRows<ApiTokenRow>(
      this.db,
      sql`SELECT ${TOKEN_COLUMNS} FROM api_tokens
          WHERE token_hash = ${tokenHash} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${tsParam(now)})`,
    );
    return row ? toTokenInfo(row) : null;
  }

  async list(accountId: string | null): Promise<ApiTokenInfo[]> {
    const where = accountId === null ? sql`` : sql`WHERE account_id = ${accountId}`;
    const rows = await queryRows<ApiTokenRow>(this.db, sql`SELECT ${TOKEN_COLUMNS} FROM api_tokens ${where} ORDER BY created_at DESC`);
    return rows.map(toTokenInfo);
  }

  async findById(id: string): Promise<ApiTokenInfo | null> {
    const [row] = await queryRows<ApiTokenRow>(this.db, sql`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = ${id}`);
    return row ? toTokenInfo(row) : null;
  }

  async revoke(id: string, at: Date): Promise<void> {
    await queryRows(this.db, sql`UPDATE api_tokens SET revoked_at = ${tsParam(at)} WHERE id = ${id} AND revoked_at IS NULL`);
  }

  async revokeForAccount(accountId: string, at: Date): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`UPDATE api_tokens SET revoked_at = ${tsParam(at)} WHERE account_id = ${accountId} AND revoked_at IS NULL RETURNING id`,
    );
    return rows.length;
  }

  async touch(id: string, at: Date): Promise<void> {
    await queryRows(this.db, sql`UPDATE api_tokens SET last_used_at = ${tsParam(at)} WHERE id = ${id}`);
  }
}
