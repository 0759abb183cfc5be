import { sql } from 'drizzle-orm';
import type { DialogMemory, DialogMemoryStore, PendingQuestion } from '../../core/index.js';
import { queryPrepared, type Db } from '../database.js';
import { pgArray } from './pg-sql.js';

interface MemoryRow {
  follower_id: string;
  last_list: string[];
  focus_course_id: string | null;
  pending: PendingQuestion | null;
  misunderstood_turns: number;
  updated_at: Date | string;
}

/** The `dialog_memory` table (models/migrations/0014_dialog_memory.sql). */
export class PgDialogMemoryStore implements DialogMemoryStore {
  constructor(private readonly db: Db) {}

  async recall(followerIds: readonly string[]): Promise<Map<string, DialogMemory>> {
    if (followerIds.length === 0) return new Map();
    // Read on every chat turn: a prepared statement, planned once per connection.
    const rows = await queryPrepared<MemoryRow>(
      this.db,
      'dialog_memory_recall',
      sql`select follower_id, last_list, focus_course_id, pending, misunderstood_turns, updated_at from dialog_memory where follower_id = any(${pgArray(followerIds)}::uuid[])`,
    );
    return new Map(
      rows.map((r) => [
        r.follower_id,
        {
          lastList: r.last_list,
          focusCourseId: r.focus_course_id,
          pending: r.pending,
          ...(r.misunderstood_turns > 0 ? { misunderstoodTurns: r.misunderstood_turns } : {}),
          updatedAt: new Date(r.updated_at),
        },
      ]),
    );
  }

  async remember(entries: ReadonlyArray<{ followerId: string; memory: DialogMemory }>): Promise<void> {
    if (entries.length === 0) return;
    const rows = JSON.stringify(
      entries.map(({ followerId, memory }) => ({
        follower_id: followerId,
        last_list: memory.lastList,
        focus_course_id: memory.focusCourseId,
        pending: memory.pending,
        misunderstood_turns: memory.misunderstoodTurns ?? 0,
        updated_at: memory.updatedAt.toISOString(),
      })),
    );
    // Rows of followers deleted meanwhile are skipped, and a focus course deleted meanwhile is not remembered.
    await queryPrepared(
      this.db,
      'dialog_memory_remember',
      sql`insert into dialog_memory (follower_id, last_list, focus_course_id, pending, misunderstood_turns, updated_at)
          select x.follower_id, x.last_list, c.id, x.pending, x.misunderstood_turns, x.updated_at
          from jsonb_to_recordset(${rows}::jsonb) as x(follower_id uuid, last_list jsonb, focus_course_id uuid, pending jsonb, misunderstood_turns integer, updated_at timestamptz)
          join followers f on f.id = x.follower_id
          left join courses c on c.id = x.focus_course_id
          on conflict (follower_id) do update set last_list = excluded.last_list, focus_course_id = excluded.focus_course_id,
            pending = excluded.pending, misunderstood_turns = excluded.misunderstood_turns, updated_at = excluded.updated_at`,
    );
  }
}
