import { sql } from 'drizzle-orm';
import type { RiskCase, RiskDecision, RiskReason, RiskRepositories, RiskStatus, RiskStore, RiskUnitOfWork } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { PgSettingsRepository } from './pg-account-settings.js';
import { PgAuditLog } from './pg-audit-log.js';
import { toDate, toDateOrNull, tsParam, type PgTimestamp } from './pg-sql.js';

interface CaseRow {
  follower_id: string;
  display_name: string | null;
  locale: 'zh-CN' | 'en';
  status: RiskStatus;
  score: number;
  reasons: RiskReason[];
  flagged_at: PgTimestamp;
  reviewed_by: string | null;
  reviewed_at: PgTimestamp | null;
  held_orders: number;
}

const toCase = (r: CaseRow): RiskCase => ({
  followerId: r.follower_id, displayName: r.display_name, locale: r.locale, status: r.status, score: r.score, reasons: r.reasons,
  flaggedAt: toDate(r.flagged_at), reviewedBy: r.reviewed_by, reviewedAt: toDateOrNull(r.reviewed_at), heldOrders: r.held_orders,
});

const CASE_COLUMNS = sql`r.follower_id, f.display_name, f.locale, r.status, r.score, r.reasons, r.flagged_at, r.reviewed_by, r.reviewed_at,
  (SELECT count(*)::int FROM risk_order_holds h WHERE h.follower_id = r.follower_id AND h.outcome IS NULL) AS held_orders`;

/** Risk decisions, the review queue and held checkouts, in typed raw SQL. */
export class PgRiskStore implements RiskStore {
  constructor(private readonly db: Db) {}

  async saveDecisions(decisions: readonly RiskDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    // The newest decision per follower wins the row; every decision goes to the history. One
    // statement for the batch: the scorer writes in the background, many followers at a time.
    const rows = JSON.stringify(decisions.map((d, ord) => ({ ord, follower_id: d.followerId, status: d.status, score: d.score, reasons: d.reasons, actor: d.actor, at: d.at.toISOString() })));
    await queryRows(
      this.db,
      sql`WITH input AS (
            SELECT x.follower_id::uuid AS follower_id, x.status, x.score, x.reasons, x.actor, x.at::timestamptz AS at, x.ord
            FROM jsonb_to_recordset(${rows}::jsonb) AS x(ord int, follower_id text, status text, score int, reasons jsonb, actor text, at text)
            WHERE EXISTS (SELECT 1 FROM followers f WHERE f.id = x.follower_id::uuid)
          ), history AS (
            INSERT INTO risk_decisions (follower_id, decision, score, reasons, actor, at)
            SELECT follower_id, status, score, reasons, actor, at FROM input ORDER BY ord
          )
          INSERT INTO follower_risk AS r (follower_id, status, score, reasons, flagged_at, updated_at, reviewed_by, reviewed_at)
          SELECT DISTINCT ON (follower_id) follower_id, status, score, reasons, at, at,
                 CASE WHEN status = 'flagged' THEN NULL ELSE actor END, CASE WHEN status = 'flagged' THEN NULL ELSE at END
          FROM input ORDER BY follower_id, ord DESC
          ON CONFLICT (follower_id) DO UPDATE SET
            status = excluded.status, score = excluded.score, reasons = excluded.reasons, updated_at = excluded.updated_at,
            -- A new flag after a review starts a new case; an update of an open case keeps its start.
            flagged_at = CASE WHEN excluded.status = 'flagged' AND r.status <> 'flagged' THEN excluded.flagged_at ELSE r.flagged_at END,
            reviewed_by = CASE WHEN excluded.status = 'flagged' THEN r.reviewed_by ELSE excluded.reviewed_by END,
            reviewed_at = CASE WHEN excluded.status = 'flagged' THEN r.reviewed_at ELSE excluded.reviewed_at END`,
    );
  }

  async loadStatuses(): Promise<Array<{ followerId: string; status: RiskStatus; reasons: RiskReason[] }>> {
    const rows = await queryRows<{ follower_id: string; status: RiskStatus; reasons: RiskReason[] }>(this.db, sql`SELECT follower_id, status, reasons FROM follower_risk`);
    return rows.map((r) => ({ followerId: r.follower_id, status: r.status, reasons: r.reasons }));
  }

  async listCases(query: { status?: RiskStatus; limit: number }): Promise<RiskCase[]> {
    const where = query.status ? sql`WHERE r.status = ${query.status}` : sql``;
    const rows = await queryRows<CaseRow>(
      this.db,
      sql`SELECT ${CASE_COLUMNS} FROM follower_risk r JOIN followers f ON f.id = r.follower_id ${where}
          ORDER BY r.status = 'flagged' DESC, r.score DESC, r.flagged_at DESC LIMIT ${query.limit}`,
    );
    return rows.map(toCase);
  }

  async findCase(followerId: string): Promise<RiskCase | null> {
    const [row] = await queryRows<CaseRow>(this.db, sql`SELECT ${CASE_COLUMNS} FROM follower_risk r JOIN followers f ON f.id = r.follower_id WHERE r.follower_id = ${followerId}::uuid`);
    return row ? toCase(row) : null;
  }

  async holdOrder(orderId: string, followerId: string, at: Date): Promise<void> {
    await queryRows(this.db, sql`INSERT INTO risk_order_holds (order_id, follower_id, held_at) VALUES (${orderId}::uuid, ${followerId}::uuid, ${tsParam(at)}) ON CONFLICT (order_id) DO NOTHING`);
  }

  async settleHolds(followerId: string, outcome: 'released' | 'cancelled', at: Date): Promise<number> {
    const rows = await queryRows<{ order_id: string }>(
      this.db,
      sql`UPDATE risk_order_holds SET outcome = ${outcome}, decided_at = ${tsParam(at)} WHERE follower_id = ${followerId}::uuid AND outcome IS NULL RETURNING order_id`,
    );
    if (outcome === 'cancelled' && rows.length > 0) {
      await queryRows(this.db, sql`UPDATE orders SET status = 'cancelled', updated_at = ${tsParam(at)} WHERE id = ANY(${`{${rows.map((r) => r.order_id).join(',')}}`}::uuid[]) AND status = 'pending'`);
    }
    return rows.length;
  }
}

/** Risk reviews and settings with their audit entries, in one transaction. */
export class PgRiskUnitOfWork implements RiskUnitOfWork {
  constructor(private readonly db: Db) {}

  run<T>(work: (repos: RiskRepositories) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as Db;
      return work({ risk: new PgRiskStore(db), audit: new PgAuditLog(db), settings: new PgSettingsRepository(db) });
    });
  }
}
