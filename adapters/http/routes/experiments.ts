import { Router } from 'express';
import { z } from 'zod';
import { findManagedBroadcast, getCampaignResults } from '../../../core/campaigns/index.js';
import { principalOf } from '../auth/console-auth.js';
import type { CampaignApiDeps } from './broadcasts.js';

const idParam = z.object({ id: z.uuid({ message: 'id must be a UUID' }) });

/**
 * Experiment results per variant: `GET /broadcasts/:id/results` and
 * `GET /retargeting-rules/:id/results` — sent, conversions, rate, 95% credible interval,
 * probability of being best, z-test against the first variant; `picks`: the same per variant and
 * picked course (with titles), conversions attributed to the last marketing message. A creator gets results of their own
 * broadcasts only (another creator's answers 404); retargeting rules are for admins (wire-jobs).
 */
export function createExperimentsRouter(deps: Pick<CampaignApiDeps, 'repos' | 'courses'>): Router {
  const router = Router();
  for (const [path, source] of [['/broadcasts/:id/results', 'broadcast'], ['/retargeting-rules/:id/results', 'retargeting']] as const) {
    router.get(path, async (req, res) => {
      const { id } = idParam.parse(req.params);
      if (source === 'broadcast') await findManagedBroadcast({ campaigns: deps.repos.campaigns }, principalOf(req), id);
      res.json(await getCampaignResults({ content: deps.repos.content, courses: deps.courses }, source, id));
    });
  }
  return router;
}
