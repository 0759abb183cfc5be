import { sql } from 'drizzle-orm';
import type { DialogMemory, DialogMemoryStore, PendingQuestion } from '../../core/index.js';
import { queryPrepared, type Db } from '../database.js';

interface MemoryRow {
  last_list: string[];
  focus_course_id: string | null;
  pending: PendingQuestion | null;
  updated_at: Date | string;
}

/** The `dialog_memory` table (models/migrations/0014_dialog_memory.sql). */
export class PgDialogMemoryStore implements DialogMemoryStore {
  constructor(private readonly db: Db) {}

  async recall(followerId: string): Promise<DialogMemory | null> {
    // Read on every chat turn: a prepared statement, planned once per connection.
    const [row] = await queryPrepared<MemoryRow>(
      this.db,
      'dialog_memory_recall',
      sql`select last_list, focus_course_id, pending, updated_at from dialog_memory where follower_id = ${followerId}`,
    );
    if (!row) return null;
    return { lastList: row.last_list, focusCourseId: row.focus_course_id, pending: row.pending, updatedAt: new Date(row.updated_at) };
  }

  async remember(followerId: string, memory: DialogMemory): Promise<void> {
    // A course deleted meanwhile would fail the focus reference: it is simply not remembered.
    await queryPrepared(
      this.db,
      'dialog_memory_remember',
      sql`insert into dialog_memory (follower_id, last_list, focus_course_id, pending, updated_at)
          select ${followerId}, ${JSON.stringify(memory.lastList)}::jsonb,
                 (select id from courses where id = ${memory.focusCourseId}::uuid),
                 ${memory.pending === null ? null : JSON.stringify(memory.pending)}::jsonb, ${memory.updatedAt.toISOString()}::timestamptz
          where exists (select 1 from followers where id = ${followerId})
          on conflict (follower_id) do update set last_list = excluded.last_list, focus_course_id = excluded.focus_course_id,
            pending = excluded.pending, updated_at = excluded.updated_at`,
    );
  }
}
