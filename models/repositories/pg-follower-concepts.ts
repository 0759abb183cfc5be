import { sql, type SQL } from 'drizzle-orm';
import {
  CHURN_RISK_LEVELS, INTEREST_HALF_LIFE_DAYS, INTEREST_WEIGHTS, LIFECYCLE_THRESHOLDS, MESSAGE_TERM_WEIGHT, MIN_INTEREST_WEIGHT, NON_INTERACTION_KINDS,
  termsForTags, toLifecycleStage, type ChurnRiskLevel, type LifecycleStage,
} from '../../core/index.js';
import { pgArray, tsParam } from './pg-sql.js';

/*
 * SQL for the follower concepts defined in core/followers (lifecycle.ts, interest.ts), generated
 * from the same constants over follower `f`, so a segment selects exactly the followers whose
 * persona says so (test/integration/follower-concepts.test.ts checks case by case). Windows and
 * decay use the start of each event's hour, and message terms the start of their day, as the
 * persona's aggregates in pg-event-repository.ts do.
 */

const DAY_MS = 86_400_000;
const daysBefore = (now: Date, days: number) => tsParam(new Date(now.getTime() - days * DAY_MS));
const numeric = (n: number) => sql.raw(String(n));

/**
 * The lifecycle stage of follower `f` at `now`, a text expression: `lifecycleStage` in SQL.
 *
 * @example
 * sql`SELECT f.id, ${lifecycleStageSql(now)} AS stage FROM followers f`
 */
export function lifecycleStageSql(now: Date): SQL {
  const t = LIFECYCLE_THRESHOLDS;
  const recentFrom = daysBefore(now, t.recentDays);
  return sql`(SELECT CASE
      WHEN s.n = 0 THEN 'new'
      WHEN s.last_at <= ${daysBefore(now, t.dormantDays)} THEN 'dormant'
      WHEN s.last_at <= ${recentFrom} THEN 'at-risk'
      WHEN s.net_purchases > 0 THEN 'customer'
      WHEN s.recent_interactions >= ${numeric(t.engagedInteractions)} OR s.checkouts > 0 THEN 'engaged'
      WHEN s.first_hour > ${recentFrom} THEN 'new'
      ELSE 'at-risk' END
    FROM (SELECT count(*) AS n, max(e.occurred_at) AS last_at, min(date_trunc('hour', e.occurred_at)) AS first_hour,
            count(*) FILTER (WHERE e.kind <> ALL(${pgArray(NON_INTERACTION_KINDS)}::text[]) AND date_trunc('hour', e.occurred_at) > ${recentFrom}) AS recent_interactions,
            count(*) FILTER (WHERE e.kind = 'purchase') - count(*) FILTER (WHERE e.kind = 'refund') AS net_purchases,
            count(*) FILTER (WHERE e.kind = 'checkout') AS checkouts
          FROM events e WHERE e.follower_id = f.id) s)`;
}

/**
 * A condition on follower `f`: at any of `stages`. Legacy names (`active`) in stored segments
 * read as today's stage; unknown names match nobody.
 */
export function lifecycleInSql(stages: readonly string[], now: Date): SQL {
  const known = [...new Set(stages.map(toLifecycleStage).filter((s): s is LifecycleStage => s !== undefined))];
  return sql`${lifecycleStageSql(now)} = ANY(${pgArray(known)}::text[])`;
}

/** Decay of an instant column to `now`, as core/followers/interest.ts: halves every INTEREST_HALF_LIFE_DAYS. */
function decaySql(at: SQL, now: Date): SQL {
  const perMs = Math.LN2 / (INTEREST_HALF_LIFE_DAYS * DAY_MS);
  return sql`exp(${numeric(-perMs)} * greatest(0, extract(epoch FROM ${tsParam(now)} - ${at}) * 1000))`;
}

/**
 * Rows (tag, weight) of follower `f`'s interest at `now`, for the tags given or all of them; only
 * tags above MIN_INTEREST_WEIGHT.
 */
export function interestWeightsSql(now: Date, tags: readonly string[] | 'all'): SQL {
  const kinds = Object.entries(INTEREST_WEIGHTS);
  const weightOfKind = sql.join(kinds.map(([kind, w]) => sql`WHEN ${kind} THEN ${numeric(w)}`), sql` `);
  const lexicon = termsForTags(tags);
  const onlyTags = (column: SQL) => (tags === 'all' ? sql`` : sql` AND ${column} = ANY(${pgArray(tags)}::text[])`);
  return sql`SELECT w.tag, sum(w.weight) AS weight FROM (
      SELECT t.tag, (CASE e.kind ${weightOfKind} ELSE 0 END) * ${decaySql(sql`date_trunc('hour', e.occurred_at)`, now)} AS weight
      FROM events e JOIN courses c ON c.id = e.course_id CROSS JOIN unnest(c.tags) AS t(tag)
      WHERE e.follower_id = f.id AND e.kind = ANY(${pgArray(kinds.map(([kind]) => kind))}::text[])${onlyTags(sql`t.tag`)}
      UNION ALL
      SELECT lex.tag, ${numeric(MESSAGE_TERM_WEIGHT)} * ${decaySql(sql`date_trunc('day', e.occurred_at)`, now)}
      FROM events e CROSS JOIN unnest(e.terms) AS m(term)
      JOIN unnest(${pgArray(lexicon.map(([term]) => term))}::text[], ${pgArray(lexicon.map(([, tag]) => tag))}::text[]) AS lex(term, tag) ON lex.term = lower(m.term)
      WHERE e.follower_id = f.id AND e.kind = 'message') w
    GROUP BY w.tag HAVING sum(w.weight) > ${numeric(MIN_INTEREST_WEIGHT)}`;
}

/** A condition on follower `f`: interested in any of `tags` at `now`, by the persona's rule. */
export function interestedInSql(tags: readonly string[], now: Date): SQL {
  return sql`EXISTS (${interestWeightsSql(now, tags)})`;
}

/**
 * A condition on follower `f`: the last scoring run gives them at least `min` probability of buying.
 * Scores come from core (core/recommend/propensity), stored in follower_scores; an unscored follower matches nothing.
 */
export function purchasePropensityAtLeastSql(min: number): SQL {
  return sql`EXISTS (SELECT 1 FROM follower_scores fs WHERE fs.follower_id = f.id AND fs.purchase_propensity >= ${min})`;
}

/** A condition on follower `f`: their churn-risk band (core's churnBandOf, stored when scoring) is one of `levels`. */
export function churnRiskInSql(levels: readonly ChurnRiskLevel[]): SQL {
  const known = levels.filter((l) => (CHURN_RISK_LEVELS as readonly string[]).includes(l));
  return sql`EXISTS (SELECT 1 FROM follower_scores fs WHERE fs.follower_id = f.id AND fs.churn_band = ANY(${pgArray(known)}::text[]))`;
}

/**
 * A condition on follower `f`: among the followers `audience` selects (a condition on `f`), one of
 * the ceil(`percent` %) with the highest purchase propensity (ties by id). The denominator counts
 * the whole audience, scored or not; only scored followers can be in the top.
 */
export function topPropensitySql(audience: SQL, percent: number): SQL {
  return sql`f.id IN (SELECT f.id FROM followers f JOIN follower_scores fs ON fs.follower_id = f.id WHERE ${audience}
    ORDER BY fs.purchase_propensity DESC, f.id
    LIMIT (SELECT ceil(count(*) * ${numeric(percent)} / 100.0)::int FROM followers f WHERE ${audience}))`;
}
