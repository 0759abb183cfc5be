import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Account, AccountRepository, Role } from '../../core/index.js';
import { accounts } from '../accounts-schema.js';
import type { Db } from '../database.js';

type AccountRow = typeof accounts.$inferSelect;

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    isDisabled: row.isDisabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastLoginAt: row.lastLoginAt,
  };
}

export class PgAccountRepository implements AccountRepository {
  constructor(private readonly db: Db) {}

  async insert(input: { email: string; displayName: string; role: Role; passwordHash: string }): Promise<Account> {
    const [row] = await this.db.insert(accounts).values(input).returning();
    return toAccount(row!);
  }

  async findById(id: string): Promise<Account | null> {
    const [row] = await this.db.select().from(accounts).where(eq(accounts.id, id));
    return row ? toAccount(row) : null;
  }

  async findCredentials(email: string): Promise<{ account: Account; passwordHash: string } | null> {
    const [row] = await this.db.select().from(accounts).where(eq(accounts.email, email));
    return row ? { account: toAccount(row), passwordHash: row.passwordHash } : null;
  }

  async list(query: { page: number; pageSize: number }): Promise<{ items: Account[]; total: number }> {
    const [rows, [total]] = await Promise.all([
      this.db.select().from(accounts).orderBy(desc(accounts.createdAt), accounts.email).limit(query.pageSize).offset((query.page - 1) * query.pageSize),
      this.db.select({ n: count() }).from(accounts),
    ]);
    return { items: rows.map(toAccount), total: total?.n ?? 0 };
  }

  async update(id: string, patch: { displayName?: string; role?: Role; isDisabled?: boolean; passwordHash?: string }): Promise<Account | null> {
    const [row] = await this.db.update(accounts).set({ ...patch, updatedAt: sql`now()` }).where(eq(accounts.id, id)).returning();
    return row ? toAccount(row) : null;
  }

  async countAdmins(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(accounts).where(and(eq(accounts.role, 'admin'), eq(accounts.isDisabled, false)));
    return row?.n ?? 0;
  }

  async markLoggedIn(id: string, at: Date): Promise<void> {
    await this.db.update(accounts).set({ lastLoginAt: at }).where(eq(accounts.id, id));
  }
}
