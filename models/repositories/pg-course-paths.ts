import { sql } from 'drizzle-orm';
import type { NextCourseOffers } from '../../core/campaigns/index.js';
import { queryRows, type Db } from '../database.js';
import { finishedCoursesSql } from './pg-learning-repository.js';

/**
 * Courses' `next_course_id` links (the creator's series and level paths), read for `pick: "next_in_path"`.
 *
 * @example
 * const next = await new PgCoursePaths(db).nextFor(followerId); // { courseId, afterCourseId } or null
 */
export class PgCoursePaths implements NextCourseOffers {
  constructor(private readonly db: Db) {}

  async nextFor(followerId: string): Promise<{ courseId: string; afterCourseId: string } | null> {
    // A path A → B → C with A and B owned offers C: B's link is the one whose target is not owned.
    const [row] = await queryRows<{ course_id: string; after_id: string }>(
      this.db,
      sql`WITH owned AS (SELECT course_id, granted_at FROM entitlements WHERE follower_id = ${followerId}::uuid AND revoked_at IS NULL),
               finished AS (${finishedCoursesSql(sql`AND ev.follower_id = ${followerId}::uuid`)})
          SELECT n.id AS course_id, c.id AS after_id
          FROM courses c
          JOIN courses n ON n.id = c.next_course_id
          LEFT JOIN owned o ON o.course_id = c.id
          LEFT JOIN finished fin ON fin.course_id = c.id
          WHERE (o.course_id IS NOT NULL OR fin.course_id IS NOT NULL)
            AND n.status = 'on_sale' AND NOT EXISTS (SELECT 1 FROM owned o2 WHERE o2.course_id = n.id)
          ORDER BY fin.finished_at DESC NULLS LAST, o.granted_at DESC NULLS LAST, n.id
          LIMIT 1`,
    );
    return row ? { courseId: row.course_id, afterCourseId: row.after_id } : null;
  }
}
