import { sql, type SQL } from 'drizzle-orm';
import type { Account, AccountRepository, Role } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, toDateOrNull, tsParam, type PgTimestamp } from './pg-sql.js';

interface AccountRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  password_hash: string;
  is_disabled: boolean;
  created_at: PgTimestamp;
  updated_at: PgTimestamp;
  last_login_at: PgTimestamp | null;
}

const ACCOUNT_COLUMNS = sql`id, email, display_name, role, password_hash, is_disabled, created_at, updated_at, last_login_at`;

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    isDisabled: row.is_disabled,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    lastLoginAt: toDateOrNull(row.last_login_at),
  };
}

export class PgAccountRepository implements AccountRepository {
  constructor(private readonly db: Db) {}

  async insert(input: { email: string; displayName: string; role: Role; passwordHash: string }): Promise<Account> {
    const [row] = await queryRows<AccountRow>(
      this.db,
      sql`INSERT INTO accounts (email, display_name, role, password_hash) VALUES (${input.email}, ${input.displayName}, ${input.role}, ${input.passwordHash})
          RETURNING ${ACCOUNT_COLUMNS}`,
    );
    return toAccount(row!);
  }

  async findById(id: string): Promise<Account | null> {
    const [row] = await queryRows<AccountRow>(this.db, sql`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ${id}`);
    return row ? toAccount(row) : null;
  }

  async findCredentials(email: string): Promise<{ account: Account; passwordHash: string } | null> {
    const [row] = await queryRows<AccountRow>(this.db, sql`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE email = ${email}`);
    return row ? { account: toAccount(row), passwordHash: row.password_hash } : null;
  }

  async list(query: { page: number; pageSize: number }): Promise<{ items: Account[]; total: number }> {
    const [rows, [total]] = await Promise.all([
      queryRows<AccountRow>(
        this.db,
        sql`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at DESC, email LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      ),
      queryRows<{ n: number }>(this.db, sql`SELECT count(*)::int AS n FROM accounts`),
    ]);
    return { items: rows.map(toAccount), total: total?.n ?? 0 };
  }

  async update(id: string, patch: { displayName?: string; role?: Role; isDisabled?: boolean; passwordHash?: string }): Promise<Account | null> {
    const set: SQL[] = [];
    if (patch.displayName !== undefined) set.push(sql`display_name = ${patch.displayName}`);
    if (patch.role !== undefined) set.push(sql`role = ${patch.role}`);
    if (patch.isDisabled !== undefined) set.push(sql`is_disabled = ${patch.isDisabled}`);
    if (patch.passwordHash !== undefined) set.push(sql`password_hash = ${patch.passwordHash}`);
    set.push(sql`updated_at = now()`);
    const [row] = await queryRows<AccountRow>(this.db, sql`UPDATE accounts SET ${sql.join(set, sql`, `)} WHERE id = ${id} RETURNING ${ACCOUNT_COLUMNS}`);
    return row ? toAccount(row) : null;
  }

  async countAdmins(): Promise<number> {
    const [row] = await queryRows<{ n: number }>(this.db, sql`SELECT count(*)::int AS n FROM accounts WHERE role = 'admin' AND is_disabled = false`);
    return row?.n ?? 0;
  }

  async markLoggedIn(id: string, at: Date): Promise<void> {
    await queryRows(this.db, sql`UPDATE accounts SET last_login_at = ${tsParam(at)} WHERE id = ${id}`);
  }
}
