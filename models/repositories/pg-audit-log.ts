import { sql, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditLog } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, type PgTimestamp } from './pg-sql.js';

export class PgAuditLog implements AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    await queryRows(
      this.db,
      sql`INSERT INTO audit_log (actor, action, subject_type, subject_id, details)
          VALUES (${entry.actor}, ${entry.action}, ${entry.subjectType}, ${entry.subjectId}, ${JSON.stringify(entry.details ?? {})}::jsonb)`,
    );
  }
}

export interface AuditRecord extends Required<AuditEntry> {
  id: number;
  at: Date;
}

interface AuditRow {
  id: string | number;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  details: Record<string, unknown> | null;
  at: PgTimestamp;
}

/** Reads the audit log for the console: newest first, optionally for one subject. */
export class PgAuditLogReader {
  constructor(private readonly db: Db) {}

  async page(filter: { subjectType?: string; subjectId?: string }, page: { limit: number; offset: number }): Promise<{ items: AuditRecord[]; total: number }> {
    const conditions: SQL[] = [];
    if (filter.subjectType) conditions.push(sql`subject_type = ${filter.subjectType}`);
    if (filter.subjectId) conditions.push(sql`subject_id = ${filter.subjectId}`);
    const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    const [rows, [total]] = await Promise.all([
      queryRows<AuditRow>(
        this.db,
        sql`SELECT id, actor, action, subject_type, subject_id, details, at FROM audit_log ${where} ORDER BY id DESC LIMIT ${page.limit} OFFSET ${page.offset}`,
      ),
      queryRows<{ n: number }>(this.db, sql`SELECT count(*)::int AS n FROM audit_log ${where}`),
    ]);
    const items = rows.map((r) => ({
      id: Number(r.id),
      actor: r.actor,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      details: r.details ?? {},
      at: toDate(r.at),
    }));
    return { items, total: total?.n ?? 0 };
  }
}
