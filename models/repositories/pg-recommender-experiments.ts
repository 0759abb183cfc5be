import { sql, type SQL } from 'drizzle-orm';
import type { AuditEntry } from '../../core/index.js';
import type {
  RecommenderExperiment, RecommenderExperimentRepository, RecommenderExposure, RecommenderExposureStore, RecommenderVariant, RecommenderVariantOutcome, StartOutcome, VariantStats,
} from '../../core/experiments/index.js';
import { queryRows, type Db } from '../database.js';
import { PgAuditLog } from './pg-audit-log.js';
import { pgArray, toDate, toDateOrNull } from './pg-sql.js';

interface ExperimentRow {
  id: string;
  name: string;
  status: RecommenderExperiment['status'];
  variants: RecommenderVariant[];
  attribution_hours: number;
  created_by: string | null;
  created_at: unknown;
  started_at: unknown;
  stopped_at: unknown;
}

function toExperiment(r: ExperimentRow): RecommenderExperiment {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    variants: r.variants,
    attributionHours: r.attribution_hours,
    createdBy: r.created_by,
    createdAt: toDate(r.created_at),
    startedAt: toDateOrNull(r.started_at),
    stoppedAt: toDateOrNull(r.stopped_at),
  };
}

/** Any constant: starts serialise on it, so two experiments never run at once. */
const START_LOCK_KEY = 727_274_030;
type Audit = Omit<AuditEntry, 'subjectId' | 'subjectType'>;

/**
 * The last exposure of this follower that showed `course` at or before `at`, within its experiment's
 * window: the one a conversion is attributed to. `follower`, `course` and `at` are columns of the outer query.
 */
function lastShowing(follower: SQL, course: SQL, at: SQL): SQL {
  return sql`SELECT x.experiment_id, x.variant FROM recommender_exposures x JOIN recommender_experiments r ON r.id = x.experiment_id
             WHERE x.follower_id = ${follower} AND ${course} = ANY (x.course_ids) AND x.exposed_at <= ${at}
               AND ${at} < x.exposed_at + make_interval(hours => r.attribution_hours)
             ORDER BY x.exposed_at DESC, x.list_id LIMIT 1`;
}

/**
 * Recommender experiments (each change with its audit entry, in one transaction), their exposures
 * and results. Results attribute in SQL, over the events and orders of the followers who were shown a list.
 *
 * @example
 * const experiments = new PgRecommenderExperiments(database.db);
 * const { stats, outcomes } = await experiments.results(id);
 */
export class PgRecommenderExperiments implements RecommenderExperimentRepository, RecommenderExposureStore {
  constructor(private readonly db: Db) {}

  async create(input: { name: string; variants: RecommenderVariant[]; attributionHours: number; createdBy: string | null }, audit: Audit): Promise<RecommenderExperiment> {
    return this.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const [row] = await queryRows<ExperimentRow>(
        db,
        sql`INSERT INTO recommender_experiments (name, variants, attribution_hours, created_by)
            VALUES (${input.name}, ${JSON.stringify(input.variants)}::jsonb, ${input.attributionHours}, ${input.createdBy}::uuid) RETURNING *`,
      );
      await new PgAuditLog(db).record({ ...audit, subjectType: 'recommender_experiment', subjectId: row!.id });
      return toExperiment(row!);
    });
  }

  async findById(id: string): Promise<RecommenderExperiment | null> {
    const [row] = await queryRows<ExperimentRow>(this.db, sql`SELECT * FROM recommender_experiments WHERE id = ${id}::uuid`);
    return row ? toExperiment(row) : null;
  }

  async list(options: { limit: number; createdBy?: string }): Promise<RecommenderExperiment[]> {
    const mine = options.createdBy === undefined ? sql`` : sql`WHERE created_by = ${options.createdBy}::uuid`;
    return (await queryRows<ExperimentRow>(this.db, sql`SELECT * FROM recommender_experiments ${mine} ORDER BY created_at DESC, id LIMIT ${options.limit}`)).map(toExperiment);
  }

  async running(): Promise<RecommenderExperiment | null> {
    const [row] = await queryRows<ExperimentRow>(this.db, sql`SELECT * FROM recommender_experiments WHERE status = 'running' LIMIT 1`);
    return row ? toExperiment(row) : null;
  }

  async start(id: string, at: Date, audit: Audit): Promise<StartOutcome> {
    return this.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      await queryRows(db, sql`SELECT pg_advisory_xact_lock(${START_LOCK_KEY})`);
      const [current] = await queryRows<{ status: string; other: number }>(
        db,
        sql`SELECT status, (SELECT count(*)::int FROM recommender_experiments WHERE status = 'running' AND id <> ${id}::uuid) AS other FROM recommender_experiments WHERE id = ${id}::uuid`,
      );
      if (!current || current.status !== 'draft') return 'not_a_draft';
      if (current.other > 0) return 'another_running';
      await queryRows(db, sql`UPDATE recommender_experiments SET status = 'running', started_at = ${at.toISOString()}::timestamptz WHERE id = ${id}::uuid`);
      await new PgAuditLog(db).record({ ...audit, subjectType: 'recommender_experiment', subjectId: id });
      return 'started';
    });
  }

  async stop(id: string, at: Date, audit: Audit): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const stopped = await queryRows<{ id: string }>(
        db,
        sql`UPDATE recommender_experiments SET status = 'stopped', stopped_at = ${at.toISOString()}::timestamptz WHERE id = ${id}::uuid AND status = 'running' RETURNING id`,
      );
      if (stopped.length === 0) return false;
      await new PgAuditLog(db).record({ ...audit, subjectType: 'recommender_experiment', subjectId: id });
      return true;
    });
  }

  async recordExposures(exposures: readonly RecommenderExposure[]): Promise<void> {
    if (exposures.length === 0) return;
    // One statement for the batch, from parallel arrays (one bound parameter per column).
    const column = (pick: (e: RecommenderExposure) => string) => pgArray(exposures.map(pick));
    await queryRows(
      this.db,
      sql`INSERT INTO recommender_exposures (list_id, experiment_id, variant, follower_id, course_ids, channel, exposed_at)
          SELECT l, e, v, f, string_to_array(c, ',')::uuid[], ch, t
          FROM unnest(${column((e) => e.listId)}::uuid[], ${column((e) => e.experimentId)}::uuid[], ${column((e) => e.variant)}::text[],
                      ${column((e) => e.followerId)}::uuid[], ${column((e) => e.courseIds.join(','))}::text[], ${column((e) => e.channel)}::text[],
                      ${column((e) => e.exposedAt.toISOString())}::timestamptz[]) AS u(l, e, v, f, c, ch, t)
          -- A follower erased (or an experiment deleted) since the list was served is skipped, not a failed batch retried forever.
          WHERE EXISTS (SELECT 1 FROM followers WHERE id = u.f) AND EXISTS (SELECT 1 FROM recommender_experiments WHERE id = u.e)
          ON CONFLICT (list_id) DO NOTHING`,
    );
  }

  async results(id: string): Promise<{ stats: VariantStats[]; outcomes: RecommenderVariantOutcome[] }> {
    const exposed = sql`SELECT DISTINCT follower_id FROM recommender_exposures WHERE experiment_id = ${id}::uuid`;
    const [counts, revenue] = await Promise.all([
      queryRows<{ variant: string; sent: number; lists: number; conversions: number; clicks: number; checkouts: number; purchases: number }>(
        this.db,
        sql`WITH shown AS (SELECT variant, follower_id, count(*)::int AS lists FROM recommender_exposures WHERE experiment_id = ${id}::uuid GROUP BY variant, follower_id),
                 converted AS (
                   SELECT e.follower_id, e.kind, last.variant FROM events e
                   JOIN LATERAL (${lastShowing(sql`e.follower_id`, sql`e.course_id`, sql`e.occurred_at`)}) last ON last.experiment_id = ${id}::uuid
                   WHERE e.follower_id IN (${exposed}) AND e.kind IN ('click', 'checkout', 'purchase') AND e.course_id IS NOT NULL)
            SELECT s.variant, count(*)::int AS sent, sum(s.lists)::int AS lists,
                   (SELECT count(DISTINCT c.follower_id)::int FROM converted c WHERE c.variant = s.variant) AS conversions,
                   (SELECT count(*)::int FROM converted c WHERE c.variant = s.variant AND c.kind = 'click') AS clicks,
                   (SELECT count(*)::int FROM converted c WHERE c.variant = s.variant AND c.kind = 'checkout') AS checkouts,
                   (SELECT count(*)::int FROM converted c WHERE c.variant = s.variant AND c.kind = 'purchase') AS purchases
            FROM shown s GROUP BY s.variant ORDER BY s.variant`,
      ),
      queryRows<{ variant: string; currency: string; amount: string | number }>(
        this.db,
        sql`SELECT last.variant, o.currency, sum(o.amount_minor)::bigint AS amount FROM orders o
            JOIN LATERAL (${lastShowing(sql`o.follower_id`, sql`o.course_id`, sql`o.paid_at`)}) last ON last.experiment_id = ${id}::uuid
            WHERE o.status = 'paid' AND o.follower_id IN (${exposed})
            GROUP BY last.variant, o.currency ORDER BY last.variant, o.currency`,
      ),
    ]);
    return {
      stats: counts.map((c) => ({ variant: c.variant, sent: c.sent, conversions: c.conversions })),
      outcomes: counts.map((c) => ({
        variant: c.variant,
        lists: c.lists,
        clicks: c.clicks,
        checkouts: c.checkouts,
        purchases: c.purchases,
        revenue: revenue.filter((r) => r.variant === c.variant).map((r) => ({ currency: r.currency, amountMinor: Number(r.amount) })),
      })),
    };
  }
}
