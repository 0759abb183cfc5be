import { sql } from 'drizzle-orm';
import type { ActivityEvent, ActivityRepository, CourseInteraction, EventKind, InteractionRepository, MessageTerms } from '../../core/index.js';
import { queryPrepared, queryRows, type Db } from '../database.js';

/** An events row as serving and training read it. */
export type InteractionRow = { id: number | string; follower_id: string; course_id: string; kind: EventKind; occurred_at: string | Date };

export const toInteraction = (r: InteractionRow): CourseInteraction => ({
  id: Number(r.id),
  followerId: r.follower_id,
  courseId: r.course_id,
  kind: r.kind,
  occurredAt: new Date(r.occurred_at),
});

/** The event kinds that say something about a course (the interaction matrix). */
export const COURSE_EVENT_KINDS = sql`('view', 'click', 'like', 'share', 'comment', 'checkout', 'purchase', 'refund')`;

/**
 * Follower–course interactions read straight from the `events` table (the interaction matrix), and
 * the whole event log for the propensity models.
 *
 * @example
 * const interactions = new PgInteractionRepository(database.db);
 */
export class PgInteractionRepository implements InteractionRepository, ActivityRepository {
  constructor(private readonly db: Db) {}

  async listCourseInteractions(options: { afterId: number; limit: number }): Promise<CourseInteraction[]> {
    const rows = await queryRows<InteractionRow>(
      this.db,
      sql`select id, follower_id, course_id, kind, occurred_at from events
          where course_id is not null and kind in ${COURSE_EVENT_KINDS} and id > ${options.afterId}
          order by id limit ${options.limit}`,
    );
    return rows.map(toInteraction);
  }

  async listMessageTerms(options: { afterId: number; limit: number }): Promise<MessageTerms[]> {
    const rows = await queryRows<{ id: number | string; follower_id: string; terms: string[]; occurred_at: string | Date }>(
      this.db,
      sql`select id, follower_id, terms, occurred_at from events
          where kind = 'message' and cardinality(terms) > 0 and id > ${options.afterId}
          order by id limit ${options.limit}`,
    );
    return rows.map((r) => ({ id: Number(r.id), followerId: r.follower_id, terms: r.terms, occurredAt: new Date(r.occurred_at) }));
  }

  async followerHistory(followerId: string, limit: number): Promise<CourseInteraction[]> {
    const rows = await queryPrepared<InteractionRow>(
      this.db,
      'interactions_follower_history',
      sql`select id, follower_id, course_id, kind, occurred_at from events
          where follower_id = ${followerId} and course_id is not null and kind in ${COURSE_EVENT_KINDS}
          order by occurred_at desc, id desc limit ${limit}`,
    );
    return rows.map(toInteraction);
  }

  async listActivity(options: { afterId: number; limit: number }): Promise<ActivityEvent[]> {
    const rows = await queryRows<Omit<InteractionRow, 'course_id'> & { course_id: string | null }>(
      this.db,
      sql`select id, follower_id, course_id, kind, occurred_at from events where id > ${options.afterId} order by id limit ${options.limit}`,
    );
    return rows.map((r) => ({ id: Number(r.id), followerId: r.follower_id, courseId: r.course_id, kind: r.kind, occurredAt: new Date(r.occurred_at) }));
  }
}
