import { Router } from 'express';
import { z } from 'zod';
import { planBroadcastAudience } from '../../../core/campaigns/index.js';
import type { CampaignApiDeps } from './broadcasts.js';

const previewBody = z.object({ segment: z.unknown().default({}), sampleSize: z.number().int().min(0).max(100).default(10) });

/** `POST /segments/preview` — how many followers a segment reaches now, and a random sample of them. */
export function createSegmentsPreviewRouter(deps: Pick<CampaignApiDeps, 'repos' | 'clock'>): Router {
  const router = Router();
  router.post('/segments/preview', async (req, res) => {
    const body = previewBody.parse(req.body ?? {});
    const { size, sample } = await planBroadcastAudience({ audience: deps.repos.audience, clock: deps.clock }, { segment: body.segment, sampleSize: body.sampleSize });
    res.json({ size, sample });
  });
  return router;
}
