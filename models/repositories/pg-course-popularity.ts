import { sql } from 'drizzle-orm';
import type { Clock, CoursePopularity } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';

/** Recent interest is what counts: a purchase says most, a view least. */
const WINDOW_DAYS = 30;
/** The chat path reads this often; a minute-old ranking is good enough. */
const CACHE_MS = 60_000;

/**
 * Course popularity from the event log of the last 30 days (purchases 5, checkouts 3, shares and
 * likes 2, clicks and views 1, refunds -5), cached for a minute.
 *
 * @example
 * const scores = await new PgCoursePopularity(db, clock).courseScores();
 */
export class PgCoursePopularity implements CoursePopularity {
  private cached: { at: number; scores: Map<string, number> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async courseScores(): Promise<Map<string, number>> {
    const now = this.clock.now();
    if (this.cached && now.getTime() - this.cached.at < CACHE_MS) return this.cached.scores;
    const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
    const rows = await queryRows<{ courseId: string; score: number }>(
      this.db,
      sql`select course_id as "courseId",
                 sum(case kind when 'purchase' then 5 when 'checkout' then 3 when 'share' then 2 when 'like' then 2
                               when 'refund' then -5 else 1 end)::float8 as score
          from events
          where course_id is not null and occurred_at >= ${since.toISOString()}::timestamptz
            and kind in ('purchase', 'checkout', 'share', 'like', 'click', 'view', 'refund')
          group by course_id`,
    );
    const scores = new Map(rows.map((r) => [r.courseId, Math.max(0, Number(r.score))]));
    this.cached = { at: now.getTime(), scores };
    return scores;
  }
}
