import type { AuditEntry, AuditLog } from '../../core/index.js';
import type { Db } from '../database.js';
import { auditLog } from '../schema.js';

export class PgAuditLog implements AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
  }
}
