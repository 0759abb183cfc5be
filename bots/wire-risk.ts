import { createRiskRouter, type Mount } from '../adapters/index.js';
import { loadRiskSettings, type Clock, type RiskMonitor } from '../core/index.js';
import { PgRiskStore, PgRiskUnitOfWork, type Db } from '../models/index.js';
import type { CoreContext } from './core-context.js';
import type { Wiring } from './wiring.js';

/** How often a process rereads risk decisions and thresholds made elsewhere (an admin in another process). */
export const RISK_REFRESH_MS = 30_000;

/**
 * The admin API of risk control over one database; the process wiring and the tests mount the same.
 *
 * @example
 * wiring.mounts.push(createRiskMount({ db, clock, monitor: ctx.risk }));
 */
export function createRiskMount(deps: { db: Db; clock: Clock; monitor: RiskMonitor }): Mount {
  return { path: '/api', router: createRiskRouter({ uow: new PgRiskUnitOfWork(deps.db), store: new PgRiskStore(deps.db), clock: deps.clock, monitor: deps.monitor }), access: 'admin' };
}

/**
 * Wires risk control: the admin API (`/api/risk/…`, when `withApi`) and a service that keeps this
 * process's scorer in step with decisions and thresholds stored by other processes, and forgets
 * followers idle for days.
 *
 * @example
 * await wireRisk(ctx, wiring, { withApi: true });
 */
export async function wireRisk(ctx: CoreContext, wiring: Wiring, options: { withApi: boolean }): Promise<void> {
  const uow = new PgRiskUnitOfWork(ctx.database.db);
  if (options.withApi) wiring.mounts.push(createRiskMount({ db: ctx.database.db, clock: ctx.clock, monitor: ctx.risk }));
  let timer: NodeJS.Timeout | undefined;
  const refresh = async () => {
    try {
      ctx.risk.useSettings(await loadRiskSettings(uow));
      await ctx.risk.refresh();
      ctx.risk.forgetIdle();
    } catch (error) {
      ctx.logger.error({ err: error, component: 'risk' }, 'risk refresh failed; the scorer keeps its last decisions and thresholds');
      ctx.metrics.errors.inc({ source: 'risk', code: 'refresh_failed' });
    }
  };
  wiring.services.push({
    name: 'risk-refresh',
    start: async () => {
      timer = setInterval(() => void refresh(), RISK_REFRESH_MS);
      timer.unref();
    },
    stop: async () => {
      clearInterval(timer);
      await ctx.risk.flush();
    },
  });
}
