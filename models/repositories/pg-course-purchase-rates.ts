import { sql } from 'drizzle-orm';
import type { CoursePurchaseRates } from '../../core/campaigns/index.js';
import { systemClock, type Clock } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';

/** Long enough to hold a few buyers of a slow seller; short enough to follow a price change. */
const WINDOW_DAYS = 90;
/** The dispatcher asks for every own pick; rates ten minutes old are good enough. */
const CACHE_MS = 10 * 60_000;

/**
 * Per course, the followers who viewed or clicked it and the followers who bought it in the last
 * 90 days, from the event log, cached for ten minutes: how often a look turns into a purchase.
 *
 * @example
 * (await new PgCoursePurchaseRates(db).purchaseRates()).get(courseId); // { viewers: 120, buyers: 9 }
 */
export class PgCoursePurchaseRates implements CoursePurchaseRates {
  private cached: { at: number; rates: Map<string, { viewers: number; buyers: number }> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  async purchaseRates(): Promise<ReadonlyMap<string, { viewers: number; buyers: number }>> {
    const now = this.clock.now();
    if (this.cached && now.getTime() - this.cached.at < CACHE_MS) return this.cached.rates;
    const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
    const rows = await queryRows<{ course_id: string; viewers: number; buyers: number }>(
      this.db,
      sql`SELECT course_id, count(DISTINCT follower_id) FILTER (WHERE kind IN ('view', 'click'))::int AS viewers,
                 count(DISTINCT follower_id) FILTER (WHERE kind = 'purchase')::int AS buyers
          FROM events
          WHERE course_id IS NOT NULL AND kind IN ('view', 'click', 'purchase') AND occurred_at >= ${since.toISOString()}::timestamptz
          GROUP BY course_id`,
    );
    const rates = new Map(rows.map((r) => [r.course_id, { viewers: r.viewers, buyers: r.buyers }]));
    this.cached = { at: now.getTime(), rates };
    return rates;
  }
}
