import { sql, type SQL } from 'drizzle-orm';
import type { AudienceExclusions, AudienceMember, AudienceRepository, Segment } from '../../core/campaigns/index.js';
import { queryRows, type Db } from '../database.js';
import { churnRiskInSql, interestedInSql, lifecycleInSql, purchasePropensityAtLeastSql, topPropensitySql } from './pg-follower-concepts.js';
import { pgArray, tsParam } from './pg-sql.js';

const DAY_MS = 86_400_000;

/** Flagged by the risk scorer or blocked by an admin: no marketing (core/risk). */
const isUnderRiskReview = sql`EXISTS (SELECT 1 FROM follower_risk fr WHERE fr.follower_id = f.id AND fr.status IN ('flagged', 'blocked'))`;

/**
 * Segment queries in SQL over followers `f`: the segment's conditions, and whether the follower can
 * be sent marketing now (the same checks, in the same order, as the send guards and AUDIENCE_EXCLUSIONS).
 */
export class PgCampaignAudience implements AudienceRepository {
  constructor(private readonly db: Db) {}

  async activeHours(followerIds: readonly string[], since: Date): Promise<{ byFollower: Map<string, number[]>; population: number[] }> {
    const hourOf = sql`extract(hour FROM e.occurred_at AT TIME ZONE coalesce(f.time_zone, 'UTC'))::int`;
    const [own, all] = await Promise.all([
      followerIds.length === 0 ? [] : queryRows<{ follower_id: string; hour: number; n: number }>(
        this.db,
        sql`SELECT e.follower_id, ${hourOf} AS hour, count(*)::int AS n FROM events e JOIN followers f ON f.id = e.follower_id
            WHERE e.follower_id = ANY(${pgArray(followerIds)}::uuid[]) AND e.occurred_at >= ${tsParam(since)} GROUP BY 1, 2`,
      ),
      queryRows<{ hour: number; n: number }>(
        this.db,
        sql`SELECT ${hourOf} AS hour, count(*)::int AS n FROM events e JOIN followers f ON f.id = e.follower_id WHERE e.occurred_at >= ${tsParam(since)} GROUP BY 1`,
      ),
    ]);
    const byFollower = new Map<string, number[]>();
    for (const row of own) {
      const hours = byFollower.get(row.follower_id) ?? new Array<number>(24).fill(0);
      hours[row.hour] = row.n;
      byFollower.set(row.follower_id, hours);
    }
    const population = new Array<number>(24).fill(0);
    for (const row of all) population[row.hour] = row.n;
    return { byFollower, population };
  }

  private where(segment: Segment, now: Date): { conditions: SQL; platforms: string } {
    const { conditions, platforms, hasChat } = this.selected(segment, now);
    const reachable = sql`${conditions} AND NOT f.is_opted_out AND f.has_marketing_consent AND f.is_reachable AND ${hasChat} AND NOT ${isUnderRiskReview}`;
    // The top N % is of the audience a broadcast could send to, so it is taken after reachability.
    if (segment.topPropensityPercent) return { conditions: sql`${reachable} AND ${topPropensitySql(reachable, segment.topPropensityPercent)}`, platforms };
    return { conditions: reachable, platforms };
  }

  /** What the segment selects, before asking whether the follower can be reached. */
  private selected(segment: Segment, now: Date): { conditions: SQL; platforms: string; hasChat: SQL } {
    const platforms = pgArray(segment.platforms ?? ['telegram', 'wechat']);
    const hasChat = sql`EXISTS (SELECT 1 FROM identities i WHERE i.follower_id = f.id AND i.kind = ANY(${platforms}::text[]))`;
    const parts: SQL[] = [sql`true`];
    // A segment that names platforms selects their followers only; others are not "excluded" from it.
    if (segment.platforms) parts.push(hasChat);
    if (segment.locales) parts.push(sql`f.locale = ANY(${pgArray(segment.locales)}::text[])`);
    if (segment.lifecycle) parts.push(lifecycleInSql(segment.lifecycle, now));
    if (segment.interestTags) parts.push(interestedInSql(segment.interestTags, now));
    if (segment.ownsCourseId) parts.push(sql`EXISTS (SELECT 1 FROM entitlements en WHERE en.follower_id = f.id AND en.course_id = ${segment.ownsCourseId}::uuid AND en.revoked_at IS NULL)`);
    if (segment.notOwnsCourseId) parts.push(sql`NOT EXISTS (SELECT 1 FROM entitlements en WHERE en.follower_id = f.id AND en.course_id = ${segment.notOwnsCourseId}::uuid AND en.revoked_at IS NULL)`);
    if (segment.activeWithinDays) parts.push(sql`f.last_seen_at >= ${tsParam(new Date(now.getTime() - segment.activeWithinDays * DAY_MS))}`);
    if (segment.minPurchasePropensity !== undefined) parts.push(purchasePropensityAtLeastSql(segment.minPurchasePropensity));
    if (segment.churnRisk) parts.push(churnRiskInSql(segment.churnRisk));
    if (segment.inactiveForDays) parts.push(sql`coalesce(f.last_seen_at, f.created_at) < ${tsParam(new Date(now.getTime() - segment.inactiveForDays * DAY_MS))}`);
    return { conditions: sql.join(parts, sql` AND `), platforms, hasChat };
  }

  async exclusions(segment: Segment, now: Date): Promise<AudienceExclusions> {
    const { conditions, hasChat } = this.selected(segment, now);
    const [row] = await queryRows<AudienceExclusions>(
      this.db,
      sql`SELECT count(*) FILTER (WHERE f.is_opted_out)::int AS opted_out,
                 count(*) FILTER (WHERE NOT f.is_opted_out AND NOT f.has_marketing_consent)::int AS no_consent,
                 count(*) FILTER (WHERE NOT f.is_opted_out AND f.has_marketing_consent AND NOT f.is_reachable)::int AS unreachable,
                 count(*) FILTER (WHERE NOT f.is_opted_out AND f.has_marketing_consent AND f.is_reachable AND NOT ${hasChat})::int AS no_chat,
                 count(*) FILTER (WHERE NOT f.is_opted_out AND f.has_marketing_consent AND f.is_reachable AND ${hasChat} AND ${isUnderRiskReview})::int AS risk_review
          FROM followers f WHERE ${conditions}`,
    );
    return row ?? { opted_out: 0, no_consent: 0, unreachable: 0, no_chat: 0, risk_review: 0 };
  }

  async count(segment: Segment, now: Date): Promise<number> {
    const { conditions } = this.where(segment, now);
    const [row] = await queryRows<{ n: number }>(this.db, sql`SELECT count(*)::int AS n FROM followers f WHERE ${conditions}`);
    return row?.n ?? 0;
  }

  async page(segment: Segment, now: Date, options: { afterFollowerId: string | null; limit: number; random?: boolean }): Promise<AudienceMember[]> {
    const { conditions, platforms } = this.where(segment, now);
    const after = options.afterFollowerId ? sql` AND f.id > ${options.afterFollowerId}::uuid` : sql``;
    const order = options.random ? sql`random()` : sql`f.id`;
    const rows = await queryRows<{ id: string; locale: 'zh-CN' | 'en'; time_zone: string; platform: 'telegram' | 'wechat' }>(
      this.db,
      sql`SELECT f.id, f.locale, f.time_zone,
                 (SELECT i.kind FROM identities i WHERE i.follower_id = f.id AND i.kind = ANY(${platforms}::text[]) ORDER BY i.kind = 'telegram' DESC LIMIT 1) AS platform
          FROM followers f WHERE ${conditions}${after} ORDER BY ${order} LIMIT ${options.limit}`,
    );
    return rows.map((r) => ({ followerId: r.id, locale: r.locale, timeZone: r.time_zone, platform: r.platform }));
  }
}
