import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditLog } from '../../core/index.js';
import type { Db } from '../database.js';
import { auditLog } from '../schema.js';

export class PgAuditLog implements AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
  }
}

export interface AuditRecord extends Required<AuditEntry> {
  id: number;
  at: Date;
}

/** Reads the audit log for the console: newest first, optionally for one subject. */
export class PgAuditLogReader {
  constructor(private readonly db: Db) {}

  async page(filter: { subjectType?: string; subjectId?: string }, page: { limit: number; offset: number }): Promise<{ items: AuditRecord[]; total: number }> {
    const conditions: SQL[] = [];
    if (filter.subjectType) conditions.push(eq(auditLog.subjectType, filter.subjectType));
    if (filter.subjectId) conditions.push(eq(auditLog.subjectId, filter.subjectId));
    const where = conditions.length ? and(...conditions) : undefined;
    const [rows, [total]] = await Promise.all([
      this.db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(page.limit).offset(page.offset),
      this.db.select({ n: count() }).from(auditLog).where(where),
    ]);
    return { items: rows.map((r) => ({ ...r, details: r.details ?? {} })), total: Number(total?.n ?? 0) };
  }
}
