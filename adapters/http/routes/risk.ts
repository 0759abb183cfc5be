import { Router } from 'express';
import { z } from 'zod';
import { DEFAULT_RISK_SETTINGS, loadRiskSettings, reviewRiskCase, RISK_STATUSES, saveRiskSettings, type Clock, type RiskCase, type RiskMonitor, type RiskStore, type RiskUnitOfWork } from '../../../core/index.js';
import { principalOf, requireRole } from '../auth/console-auth.js';

export const riskCasesQuery = z.object({
  status: z.enum(RISK_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const followerParam = z.object({ followerId: z.uuid() });

const toDto = (c: RiskCase) => ({
  ...c,
  flaggedAt: c.flaggedAt.toISOString(),
  reviewedAt: c.reviewedAt ? c.reviewedAt.toISOString() : null,
});

/**
 * `/risk/…` (admins only): the review queue (`GET /risk/cases?status`), a verdict on a case
 * (`POST /risk/cases/:followerId/clear|confirm`), and the thresholds (`GET/PUT /risk/settings`).
 * Verdicts and threshold changes are audited.
 */
export function createRiskRouter(deps: { uow: RiskUnitOfWork; store: RiskStore; clock: Clock; monitor?: RiskMonitor }): Router {
  const router = Router();
  router.use('/risk', requireRole('admin'));

  router.get('/risk/cases', async (req, res) => {
    const query = riskCasesQuery.parse(req.query);
    const cases = await deps.store.listCases({ ...(query.status ? { status: query.status } : {}), limit: query.limit });
    res.json({ items: cases.map(toDto) });
  });

  router.post('/risk/cases/:followerId/:verdict', async (req, res, next) => {
    const verdict = req.params['verdict'];
    if (verdict !== 'clear' && verdict !== 'confirm') return next();
    const { followerId } = followerParam.parse(req.params);
    const reviewed = await reviewRiskCase({ uow: deps.uow, clock: deps.clock, ...(deps.monitor ? { monitor: deps.monitor } : {}) }, { followerId, verdict, actor: principalOf(req).actor });
    res.json(toDto(reviewed));
  });

  router.get('/risk/settings', async (_req, res) => {
    res.json({ settings: await loadRiskSettings(deps.uow), defaults: DEFAULT_RISK_SETTINGS });
  });

  router.put('/risk/settings', async (req, res) => {
    const settings = await saveRiskSettings({ uow: deps.uow, ...(deps.monitor ? { monitor: deps.monitor } : {}) }, req.body, principalOf(req).actor);
    res.json({ settings, defaults: DEFAULT_RISK_SETTINGS });
  });
  return router;
}
