import { sql, type SQL } from 'drizzle-orm';
import type { RetargetingRule, RetargetingRuleInput, RetargetingRuleRepository } from '../../core/campaigns/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, tsParam } from './pg-sql.js';

interface RuleRow {
  id: string;
  name: string;
  trigger: RetargetingRule['trigger'];
  params: RetargetingRule['params'];
  variants: RetargetingRule['variants'];
  allocation: 'ab' | 'bandit';
  delay_minutes: number;
  max_per_follower: number;
  is_enabled: boolean;
  conversion_goal: 'click' | 'purchase';
  attribution_hours: number;
  created_at: unknown;
  updated_at: unknown;
}

function toRule(r: RuleRow): RetargetingRule {
  return {
    id: r.id,
    name: r.name,
    trigger: r.trigger,
    params: r.params,
    variants: r.variants,
    allocation: r.allocation,
    delayMinutes: r.delay_minutes,
    maxPerFollower: r.max_per_follower,
    isEnabled: r.is_enabled,
    conversionGoal: r.conversion_goal,
    attributionHours: r.attribution_hours,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How far back a trigger looks for its occasion, so old history is not messaged about. */
const LOOKBACK_MS = 7 * DAY_MS;

/** Retargeting rules, their CRUD, and the SQL that finds who each trigger matches. */
export class PgRetargetingRules implements RetargetingRuleRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<RetargetingRule[]> {
    return (await queryRows<RuleRow>(this.db, sql`SELECT * FROM retargeting_rules ORDER BY created_at, name`)).map(toRule);
  }

  async listEnabled(): Promise<RetargetingRule[]> {
    return (await queryRows<RuleRow>(this.db, sql`SELECT * FROM retargeting_rules WHERE is_enabled ORDER BY created_at, name`)).map(toRule);
  }

  async findById(id: string): Promise<RetargetingRule | null> {
    const [row] = await queryRows<RuleRow>(this.db, sql`SELECT * FROM retargeting_rules WHERE id = ${id}::uuid`);
    return row ? toRule(row) : null;
  }

  /** Inserts a rule; null when the name is taken. */
  async create(rule: RetargetingRuleInput): Promise<RetargetingRule | null> {
    const [row] = await queryRows<RuleRow>(
      this.db,
      sql`INSERT INTO retargeting_rules (name, trigger, params, variants, allocation, delay_minutes, max_per_follower, is_enabled, conversion_goal, attribution_hours)
          VALUES (${rule.name}, ${rule.trigger}, ${JSON.stringify(rule.params)}::jsonb, ${JSON.stringify(rule.variants)}::jsonb, ${rule.allocation},
                  ${rule.delayMinutes}, ${rule.maxPerFollower}, ${rule.isEnabled}, ${rule.conversionGoal}, ${rule.attributionHours})
          ON CONFLICT (name) DO NOTHING RETURNING *`,
    );
    return row ? toRule(row) : null;
  }

  async update(id: string, rule: RetargetingRuleInput): Promise<RetargetingRule | null> {
    const [row] = await queryRows<RuleRow>(
      this.db,
      sql`UPDATE retargeting_rules SET name = ${rule.name}, trigger = ${rule.trigger}, params = ${JSON.stringify(rule.params)}::jsonb,
                 variants = ${JSON.stringify(rule.variants)}::jsonb, allocation = ${rule.allocation}, delay_minutes = ${rule.delayMinutes},
                 max_per_follower = ${rule.maxPerFollower}, is_enabled = ${rule.isEnabled}, conversion_goal = ${rule.conversionGoal},
                 attribution_hours = ${rule.attributionHours}, updated_at = now()
          WHERE id = ${id}::uuid RETURNING *`,
    );
    return row ? toRule(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(this.db, sql`DELETE FROM retargeting_rules WHERE id = ${id}::uuid RETURNING id`);
    return rows.length > 0;
  }

  async findCandidates(rule: RetargetingRule, now: Date, limit: number): Promise<Array<{ followerId: string; courseId: string; step: string }>> {
    const hours = rule.params.hours ?? 24;
    const days = rule.params.days ?? 30;
    const due = tsParam(new Date(now.getTime() - hours * HOUR_MS));
    const since = tsParam(new Date(now.getTime() - hours * HOUR_MS - LOOKBACK_MS));
    let occasions: SQL;
    switch (rule.trigger) {
      case 'viewed_not_bought':
      case 'abandoned_checkout': {
        const kind = rule.trigger === 'viewed_not_bought' ? 'view' : 'checkout';
        const prefix = rule.trigger === 'viewed_not_bought' ? 'viewed:' : 'checkout:';
        occasions = sql`SELECT DISTINCT e.follower_id, e.course_id, ${prefix} || e.course_id::text AS step
          FROM events e
          WHERE e.kind = ${kind} AND e.course_id IS NOT NULL AND e.occurred_at <= ${due} AND e.occurred_at > ${since}
            AND NOT EXISTS (SELECT 1 FROM events p WHERE p.follower_id = e.follower_id AND p.course_id = e.course_id AND p.kind = 'purchase' AND p.occurred_at >= e.occurred_at)`;
        break;
      }
      case 'dormant':
        // The most bought course on sale that the follower does not own; one message per dormant spell.
        occasions = sql`SELECT f.id AS follower_id, pick.id AS course_id, 'dormant:' || to_char(coalesce(f.last_seen_at, f.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS step
          FROM followers f
          CROSS JOIN LATERAL (
            SELECT c.id FROM courses c
            WHERE c.status = 'on_sale' AND NOT EXISTS (SELECT 1 FROM entitlements en WHERE en.follower_id = f.id AND en.course_id = c.id AND en.revoked_at IS NULL)
            ORDER BY (SELECT count(*) FROM orders o WHERE o.course_id = c.id AND o.status = 'paid') DESC, c.created_at DESC LIMIT 1) pick
          WHERE coalesce(f.last_seen_at, f.created_at) < ${tsParam(new Date(now.getTime() - days * DAY_MS))}`;
        break;
      case 'new_course_match':
        occasions = sql`SELECT DISTINCT e.follower_id, nc.id AS course_id, 'new-course:' || nc.id::text AS step
          FROM courses nc
          JOIN courses seen ON seen.tags && nc.tags AND seen.id <> nc.id
          JOIN events e ON e.course_id = seen.id AND e.kind IN ('view', 'click', 'like', 'checkout', 'purchase') AND e.occurred_at > ${tsParam(new Date(now.getTime() - 90 * DAY_MS))}
          WHERE nc.status = 'on_sale' AND nc.created_at > ${tsParam(new Date(now.getTime() - days * DAY_MS))}`;
        break;
      case 'cross_sell':
        // Co-purchase counts from paid orders stand in for association rules until the recommender provides them.
        occasions = sql`SELECT DISTINCT ON (mine.follower_id, mine.course_id) mine.follower_id, pair.other AS course_id, 'cross-sell:' || mine.course_id::text AS step
          FROM orders mine
          JOIN LATERAL (
            SELECT o2.course_id AS other, count(DISTINCT o2.follower_id) AS support
            FROM orders o1 JOIN orders o2 ON o2.follower_id = o1.follower_id AND o2.course_id <> o1.course_id AND o2.status = 'paid'
            WHERE o1.course_id = mine.course_id AND o1.status = 'paid'
            GROUP BY o2.course_id HAVING count(DISTINCT o2.follower_id) >= ${rule.params.minSupport ?? 2}) pair ON true
          WHERE mine.status = 'paid' AND mine.paid_at <= ${due} AND mine.paid_at > ${since}
            AND NOT EXISTS (SELECT 1 FROM entitlements en WHERE en.follower_id = mine.follower_id AND en.course_id = pair.other AND en.revoked_at IS NULL)
          ORDER BY mine.follower_id, mine.course_id, pair.support DESC, pair.other`;
        break;
    }
    const rows = await queryRows<{ follower_id: string; course_id: string; step: string }>(
      this.db,
      sql`SELECT occ.follower_id, occ.course_id, occ.step FROM (${occasions}) occ
          JOIN followers f ON f.id = occ.follower_id
          WHERE f.has_marketing_consent AND NOT f.is_opted_out AND f.is_reachable
            AND EXISTS (SELECT 1 FROM identities i WHERE i.follower_id = f.id AND i.kind IN ('telegram', 'wechat'))
            AND NOT EXISTS (SELECT 1 FROM entitlements en WHERE en.follower_id = f.id AND en.course_id = occ.course_id AND en.revoked_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.follower_id = f.id AND o.campaign_id = ${rule.id}::uuid AND o.step = occ.step)
            AND (SELECT count(*) FROM outbox o WHERE o.follower_id = f.id AND o.campaign_id = ${rule.id}::uuid AND o.status <> 'cancelled') < ${rule.maxPerFollower}
          ORDER BY occ.follower_id, occ.step
          LIMIT ${limit}`,
    );
    // One message per follower per scan, so max-per-follower holds within a scan too.
    const seen = new Set<string>();
    return rows
      .filter((r) => (seen.has(r.follower_id) ? false : (seen.add(r.follower_id), true)))
      .map((r) => ({ followerId: r.follower_id, courseId: r.course_id, step: r.step }));
  }
}
