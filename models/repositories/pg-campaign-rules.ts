import { sql, type SQL } from 'drizzle-orm';
import {
  CROSS_SELL_DEFAULTS,
  indexAssociationRules,
  type CrossSellOffers,
  pickCrossSell,
  type CrossSellReason,
  type HoldoutReason,
  type RetargetingRule,
  type RetargetingRuleInput,
  type RetargetingRuleRepository,
} from '../../core/campaigns/index.js';
import type { ModelArtifactRepository } from '../../core/index.js';
import { RECOMMENDER_ARTIFACT_KIND, type AssociationRule } from '../../core/recommend/index.js';
import { queryRows, type Db } from '../database.js';
import { finishedCoursesSql } from './pg-learning-repository.js';
import { PgModelArtifactRepository } from './pg-model-artifact-repository.js';
import { pgArray, toDate, tsParam } from './pg-sql.js';

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
  holdout_percent: number;
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
    holdoutPercent: r.holdout_percent,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How far back a trigger looks for its occasion, so old history is not messaged about. */
const LOOKBACK_MS = 7 * DAY_MS;

type Candidate = { followerId: string; courseId: string; step: string; reason?: CrossSellReason };
interface OccasionRow {
  follower_id: string;
  course_id: string;
  step: string;
}

/**
 * Retargeting rules, their CRUD, and the SQL that finds who each trigger matches. Cross-sell reads
 * the association rules of the latest recommender model artifact (kept until a newer version appears).
 *
 * @example
 * const rules = new PgRetargetingRules(database.db); // artifacts default to PgModelArtifactRepository on the same db
 */
export class PgRetargetingRules implements RetargetingRuleRepository, CrossSellOffers {
  private associationRules: { version: number; byCourse: Map<string, AssociationRule[]> | null } | null = null;

  constructor(
    private readonly db: Db,
    private readonly artifacts: Pick<ModelArtifactRepository, 'latest' | 'latestVersion'> = new PgModelArtifactRepository(db),
  ) {}

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
      sql`INSERT INTO retargeting_rules (name, trigger, params, variants, allocation, delay_minutes, max_per_follower, is_enabled, conversion_goal, attribution_hours, holdout_percent)
          VALUES (${rule.name}, ${rule.trigger}, ${JSON.stringify(rule.params)}::jsonb, ${JSON.stringify(rule.variants)}::jsonb, ${rule.allocation},
                  ${rule.delayMinutes}, ${rule.maxPerFollower}, ${rule.isEnabled}, ${rule.conversionGoal}, ${rule.attributionHours}, ${rule.holdoutPercent})
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
                 attribution_hours = ${rule.attributionHours}, holdout_percent = ${rule.holdoutPercent}, updated_at = now()
          WHERE id = ${id}::uuid RETURNING *`,
    );
    return row ? toRule(row) : null;
  }

  async holdOut(entries: ReadonlyArray<{ ruleId: string; followerId: string; step: string; reason: HoldoutReason; heldAt: Date }>): Promise<number> {
    if (entries.length === 0) return 0;
    const rows = await queryRows<{ n: number }>(
      this.db,
      sql`WITH ins AS (
            INSERT INTO retargeting_holdouts (rule_id, follower_id, step, reason, held_at)
            SELECT * FROM unnest(${pgArray(entries.map((e) => e.ruleId))}::uuid[], ${pgArray(entries.map((e) => e.followerId))}::uuid[], ${pgArray(entries.map((e) => e.step))}::text[],
                                 ${pgArray(entries.map((e) => e.reason))}::text[], ${pgArray(entries.map((e) => e.heldAt.toISOString()))}::timestamptz[])
            ON CONFLICT DO NOTHING RETURNING 1)
          SELECT count(*)::int AS n FROM ins`,
    );
    return rows[0]?.n ?? 0;
  }

  async delete(id: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(this.db, sql`DELETE FROM retargeting_rules WHERE id = ${id}::uuid RETURNING id`);
    return rows.length > 0;
  }

  async findCandidates(rule: RetargetingRule, now: Date, limit: number): Promise<Candidate[]> {
    if (rule.trigger === 'cross_sell' || rule.trigger === 'completed_course') return this.findCrossSell(rule, now, limit);
    // A stalled learner is nudged back to the course they own.
    const rows = await this.keepSendable<OccasionRow>(rule, occasionsOf(rule.trigger, rule, now), limit, { mayOwnCourse: rule.trigger === 'stalled_learning' });
    return rows.map((r) => ({ followerId: r.follower_id, courseId: r.course_id, step: r.step }));
  }

  /**
   * After a paid purchase of A (at least `hours` ago, within the lookback), the consequent of the
   * best association rule whose antecedent holds A and only courses the follower owns, above the
   * rule's thresholds (see pickCrossSell). The rules are the latest recommender model's; while no
   * model with rules exists, pairs counted from paid orders stand in (see coPurchaseRules).
   */
  private async findCrossSell(rule: RetargetingRule, now: Date, limit: number): Promise<Candidate[]> {
    const { due, since } = purchaseWindow(rule, now);
    const model = await this.loadAssociationRules();
    const source: CrossSellReason['source'] = model ? 'association_rules' : 'co_purchase';
    // The anchor is the course bought (cross_sell) or finished (completed_course) in the window.
    const prefix = rule.trigger === 'completed_course' ? 'completed:' : 'cross-sell:';
    const anchors = rule.trigger === 'completed_course' ? completedCourses(due, since) : sql`SELECT DISTINCT follower_id, course_id FROM orders WHERE status = 'paid' AND paid_at <= ${due} AND paid_at > ${since}`;
    // Occasions already offered are left out here too, so the picking below only sees new ones.
    const purchases = await queryRows<{ follower_id: string; course_id: string; owned: string[] }>(
      this.db,
      sql`SELECT mine.follower_id, mine.course_id,
                 coalesce((SELECT array_agg(en.course_id::text) FROM entitlements en WHERE en.follower_id = mine.follower_id AND en.revoked_at IS NULL), '{}') AS owned
          FROM (${anchors}) mine
          WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.follower_id = mine.follower_id AND o.campaign_id = ${rule.id}::uuid AND o.step = ${prefix} || mine.course_id::text)
            AND NOT EXISTS (SELECT 1 FROM retargeting_holdouts h WHERE h.follower_id = mine.follower_id AND h.rule_id = ${rule.id}::uuid AND h.step = ${prefix} || mine.course_id::text)`,
    );
    if (purchases.length === 0) return [];
    const byCourse = model ?? (await this.coPurchaseRules(rule.params.minSupport ?? 2, [...new Set(purchases.map((p) => p.course_id))]));
    if (byCourse.size === 0) return [];
    const onSale = new Set((await queryRows<{ id: string }>(this.db, sql`SELECT id FROM courses WHERE status = 'on_sale'`)).map((r) => r.id));
    // The co-purchase stand-in keeps its one threshold, minSupport, applied when counting.
    const thresholds = {
      minConfidence: model ? (rule.params.minConfidence ?? CROSS_SELL_DEFAULTS.minConfidence) : 0,
      minLift: model ? (rule.params.minLift ?? CROSS_SELL_DEFAULTS.minLift) : 0,
      isOnSale: (courseId: string) => onSale.has(courseId),
    };
    const picks: Array<{ purchasedId: string; rule: AssociationRule; followerId: string }> = [];
    for (const p of purchases) {
      const best = pickCrossSell(byCourse.get(p.course_id) ?? [], { purchasedCourseId: p.course_id, ownedCourseIds: new Set(p.owned) }, thresholds);
      if (best) picks.push({ purchasedId: p.course_id, rule: best, followerId: p.follower_id });
    }
    if (picks.length === 0) return [];
    // Every picked course id is a catalogue id (owned or on sale), so the uuid casts below hold.
    const occasions = sql`SELECT * FROM unnest(${pgArray(picks.map((p) => p.followerId))}::uuid[], ${pgArray(picks.map((p) => p.rule.consequent))}::uuid[],
                                               ${pgArray(picks.map((p) => `${prefix}${p.purchasedId}`))}::text[], ${pgArray(picks.map((_, i) => String(i)))}::int[])
                          AS t(follower_id, course_id, step, pick)`;
    const rows = await this.keepSendable<OccasionRow & { pick: number }>(rule, occasions, limit);
    const chosen = rows.map((r) => ({ row: r, pick: picks[r.pick]! }));
    const titles = await this.titlesOf(chosen.flatMap((c) => c.pick.rule.antecedent));
    return chosen.flatMap(({ row, pick }) => {
      const purchased = [pick.purchasedId, ...pick.rule.antecedent.filter((id) => id !== pick.purchasedId)].map((id) => titles.get(id));
      if (purchased.some((t) => !t)) return [];
      const { support, confidence, lift } = pick.rule;
      const reason: CrossSellReason = { source, purchased: purchased.map((t) => t!), support, confidence, lift };
      return [{ followerId: row.follower_id, courseId: row.course_id, step: row.step, reason }];
    });
  }

  /**
   * The cross-sell offer for one follower now (a broadcast variant with `pick: 'cross_sell'`): for
   * their paid purchases, newest first, the best rule (pickCrossSell, default thresholds) whose
   * consequent is on sale and not owned; the latest model's rules, or co-purchase counts (at least
   * two buyers of both) while no model has rules. Null when no rule applies.
   */
  async offerFor(followerId: string): Promise<{ courseId: string; reason: CrossSellReason } | null> {
    const purchases = await queryRows<{ course_id: string }>(
      this.db,
      sql`SELECT course_id FROM orders WHERE follower_id = ${followerId}::uuid AND status = 'paid' GROUP BY course_id ORDER BY max(paid_at) DESC, course_id LIMIT 20`,
    );
    if (purchases.length === 0) return null;
    const model = await this.loadAssociationRules();
    const source: CrossSellReason['source'] = model ? 'association_rules' : 'co_purchase';
    const purchasedIds = purchases.map((p) => p.course_id);
    const byCourse = model ?? (await this.coPurchaseRules(2, purchasedIds));
    const [owned, onSale] = await Promise.all([
      queryRows<{ course_id: string }>(this.db, sql`SELECT course_id FROM entitlements WHERE follower_id = ${followerId}::uuid AND revoked_at IS NULL`),
      queryRows<{ id: string }>(this.db, sql`SELECT id FROM courses WHERE status = 'on_sale'`),
    ]);
    const ownedIds = new Set(owned.map((r) => r.course_id));
    const onSaleIds = new Set(onSale.map((r) => r.id));
    const thresholds = { minConfidence: model ? CROSS_SELL_DEFAULTS.minConfidence : 0, minLift: model ? CROSS_SELL_DEFAULTS.minLift : 0, isOnSale: (id: string) => onSaleIds.has(id) };
    for (const purchasedId of purchasedIds) {
      const best = pickCrossSell(byCourse.get(purchasedId) ?? [], { purchasedCourseId: purchasedId, ownedCourseIds: ownedIds }, thresholds);
      if (!best) continue;
      const titles = await this.titlesOf(best.antecedent);
      const purchased = [purchasedId, ...best.antecedent.filter((id) => id !== purchasedId)].map((id) => titles.get(id));
      if (purchased.some((t) => !t)) continue;
      return { courseId: best.consequent, reason: { source, purchased: purchased.map((t) => t!), support: best.support, confidence: best.confidence, lift: best.lift } };
    }
    return null;
  }

  /**
   * The stand-in while no recommender model with association rules exists: for each anchor course
   * (bought or finished in the rule's window), the courses its buyers also paid for (at least `minSupport` buyers of
   * both; the 200 most co-bought), as one-course rules with support, confidence and lift over
   * paying followers.
   */
  private async coPurchaseRules(minSupport: number, anchorCourseIds: readonly string[]): Promise<Map<string, AssociationRule[]>> {
    const rows = await queryRows<{ purchased_id: string; other: string; together: number; buyers_of_purchased: number; buyers_of_other: number; buyers: number }>(
      this.db,
      sql`WITH paid AS (SELECT DISTINCT follower_id, course_id FROM orders WHERE status = 'paid'),
               buyers AS (SELECT course_id, count(*)::int AS n FROM paid GROUP BY course_id),
               pairs AS (
                 SELECT a.course_id AS purchased_id, b.course_id AS other, count(*)::int AS together,
                        row_number() OVER (PARTITION BY a.course_id ORDER BY count(*) DESC, b.course_id) AS rank
                 FROM paid a JOIN paid b ON b.follower_id = a.follower_id AND b.course_id <> a.course_id
                 WHERE a.course_id = ANY(${pgArray(anchorCourseIds)}::uuid[])
                 GROUP BY a.course_id, b.course_id HAVING count(*) >= ${minSupport})
          SELECT p.purchased_id, p.other, p.together, bp.n AS buyers_of_purchased, bo.n AS buyers_of_other, (SELECT count(DISTINCT follower_id)::int FROM paid) AS buyers
          FROM pairs p JOIN buyers bp ON bp.course_id = p.purchased_id JOIN buyers bo ON bo.course_id = p.other
          WHERE p.rank <= 200`,
    );
    const byCourse = new Map<string, AssociationRule[]>();
    for (const r of rows) {
      const confidence = r.together / r.buyers_of_purchased;
      const pair: AssociationRule = { antecedent: [r.purchased_id], consequent: r.other, support: r.together / r.buyers, confidence, lift: confidence / (r.buyers_of_other / r.buyers) };
      const pairs = byCourse.get(r.purchased_id);
      if (pairs) pairs.push(pair);
      else byCourse.set(r.purchased_id, [pair]);
    }
    return byCourse;
  }

  /** The latest recommender artifact's rules, indexed by antecedent course; null when there is no artifact or it has no rules. */
  private async loadAssociationRules(): Promise<Map<string, AssociationRule[]> | null> {
    const version = await this.artifacts.latestVersion(RECOMMENDER_ARTIFACT_KIND);
    if (version === null) return null;
    if (this.associationRules?.version !== version) {
      const artifact = await this.artifacts.latest(RECOMMENDER_ARTIFACT_KIND);
      if (!artifact) return null;
      this.associationRules = { version: artifact.version, byCourse: indexAssociationRules(artifact.data) };
    }
    return this.associationRules.byCourse;
  }

  private async titlesOf(courseIds: readonly string[]): Promise<Map<string, CrossSellReason['purchased'][number]>> {
    if (courseIds.length === 0) return new Map();
    const rows = await queryRows<{ id: string; title_zh: string; title_en: string }>(
      this.db,
      sql`SELECT id, title_zh, title_en FROM courses WHERE id = ANY(${pgArray([...new Set(courseIds)])}::uuid[])`,
    );
    return new Map(rows.map((r) => [r.id, { courseId: r.id, titleZh: r.title_zh, titleEn: r.title_en }]));
  }

  /**
   * The occasions whose follower can be messaged (consent, not opted out, reachable on a chat
   * platform, not flagged or blocked by risk control), who does not own the course (unless `mayOwnCourse`), was not messaged for this occasion and is under the
   * rule's maximum; at most one per follower, so max-per-follower holds within a scan too.
   */
  private async keepSendable<T extends OccasionRow>(rule: RetargetingRule, occasions: SQL, limit: number, options: { mayOwnCourse?: boolean } = {}): Promise<T[]> {
    const notOwned = options.mayOwnCourse
      ? sql``
      : sql`AND NOT EXISTS (SELECT 1 FROM entitlements en WHERE en.follower_id = f.id AND en.course_id = occ.course_id AND en.revoked_at IS NULL)`;
    const rows = await queryRows<T>(
      this.db,
      sql`SELECT occ.* FROM (${occasions}) occ
          JOIN followers f ON f.id = occ.follower_id
          WHERE f.has_marketing_consent AND NOT f.is_opted_out AND f.is_reachable
            AND EXISTS (SELECT 1 FROM identities i WHERE i.follower_id = f.id AND i.kind IN ('telegram', 'wechat'))
            AND NOT EXISTS (SELECT 1 FROM follower_risk fr WHERE fr.follower_id = f.id AND fr.status IN ('flagged', 'blocked'))
            ${notOwned}
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.follower_id = f.id AND o.campaign_id = ${rule.id}::uuid AND o.step = occ.step)
            AND NOT EXISTS (SELECT 1 FROM retargeting_holdouts h WHERE h.rule_id = ${rule.id}::uuid AND h.follower_id = f.id AND h.step = occ.step)
            -- Held-out occasions count like sent ones, so both arms meet the same limit.
            AND (SELECT count(*) FROM outbox o WHERE o.follower_id = f.id AND o.campaign_id = ${rule.id}::uuid AND o.status <> 'cancelled')
              + (SELECT count(*) FROM retargeting_holdouts h WHERE h.rule_id = ${rule.id}::uuid AND h.follower_id = f.id) < ${rule.maxPerFollower}
          ORDER BY occ.follower_id, occ.step
          LIMIT ${limit}`,
    );
    const seen = new Set<string>();
    return rows.filter((r) => (seen.has(r.follower_id) ? false : (seen.add(r.follower_id), true)));
  }
}

/** Paid purchases old enough for the rule's delay (`hours`) and recent enough to still be news. */
function purchaseWindow(rule: RetargetingRule, now: Date): { due: SQL; since: SQL } {
  const hours = rule.params.hours ?? 24;
  return { due: tsParam(new Date(now.getTime() - hours * HOUR_MS)), since: tsParam(new Date(now.getTime() - hours * HOUR_MS - LOOKBACK_MS)) };
}

/** Followers who finished a course ({@link finishedCoursesSql}), the last completion between `since` and `due`. */
function completedCourses(due: SQL, since: SQL): SQL {
  return sql`SELECT follower_id, course_id FROM (${finishedCoursesSql(sql``)}) done WHERE finished_at <= ${due} AND finished_at > ${since}`;
}

/** Who the other triggers match now: follower, course and the step naming the occasion. */
function occasionsOf(trigger: Exclude<RetargetingRule['trigger'], 'cross_sell' | 'completed_course'>, rule: RetargetingRule, now: Date): SQL {
  const days = rule.params.days ?? 30;
  const { due, since } = purchaseWindow(rule, now);
  switch (trigger) {
    case 'viewed_not_bought':
    case 'abandoned_checkout': {
      const kind = trigger === 'viewed_not_bought' ? 'view' : 'checkout';
      const prefix = trigger === 'viewed_not_bought' ? 'viewed:' : 'checkout:';
      return sql`SELECT DISTINCT e.follower_id, e.course_id, ${prefix} || e.course_id::text AS step
        FROM events e
        WHERE e.kind = ${kind} AND e.course_id IS NOT NULL AND e.occurred_at <= ${due} AND e.occurred_at > ${since}
          AND NOT EXISTS (SELECT 1 FROM events p WHERE p.follower_id = e.follower_id AND p.course_id = e.course_id AND p.kind = 'purchase' AND p.occurred_at >= e.occurred_at)`;
    }
    case 'dormant':
      // The most bought course on sale that the follower does not own; one message per dormant spell.
      return sql`SELECT f.id AS follower_id, pick.id AS course_id, 'dormant:' || to_char(coalesce(f.last_seen_at, f.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS step
        FROM followers f
        CROSS JOIN LATERAL (
          SELECT c.id FROM courses c
          WHERE c.status = 'on_sale' AND NOT EXISTS (SELECT 1 FROM entitlements en WHERE en.follower_id = f.id AND en.course_id = c.id AND en.revoked_at IS NULL)
          ORDER BY (SELECT count(*) FROM orders o WHERE o.course_id = c.id AND o.status = 'paid') DESC, c.created_at DESC LIMIT 1) pick
        WHERE coalesce(f.last_seen_at, f.created_at) < ${tsParam(new Date(now.getTime() - days * DAY_MS))}`;
    case 'stalled_learning':
      // A course they have not finished, with nothing learned in it for `days`; one message per stall (named by its start).
      return sql`SELECT en.follower_id, en.course_id, 'stalled:' || en.course_id::text || ':' || to_char(coalesce(last.at, en.granted_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS step
        FROM entitlements en
        CROSS JOIN LATERAL (SELECT max(ev.occurred_at) AS at FROM events ev
                            WHERE ev.follower_id = en.follower_id AND ev.course_id = en.course_id AND ev.kind IN ('lesson_open', 'lesson_complete', 'check_in')) last
        WHERE en.revoked_at IS NULL AND coalesce(last.at, en.granted_at) < ${tsParam(new Date(now.getTime() - days * DAY_MS))}
          AND EXISTS (SELECT 1 FROM course_lessons l WHERE l.course_id = en.course_id
                      AND NOT EXISTS (SELECT 1 FROM events c WHERE c.follower_id = en.follower_id AND c.kind = 'lesson_complete' AND c.payload->>'lessonId' = l.id::text))`;
    case 'new_course_match':
      return sql`SELECT DISTINCT e.follower_id, nc.id AS course_id, 'new-course:' || nc.id::text AS step
        FROM courses nc
        JOIN courses seen ON seen.tags && nc.tags AND seen.id <> nc.id
        JOIN events e ON e.course_id = seen.id AND e.kind IN ('view', 'click', 'like', 'checkout', 'purchase') AND e.occurred_at > ${tsParam(new Date(now.getTime() - 90 * DAY_MS))}
        WHERE nc.status = 'on_sale' AND nc.created_at > ${tsParam(new Date(now.getTime() - days * DAY_MS))}`;
  }
}
