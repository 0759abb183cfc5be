import { Router } from 'express';
import { z } from 'zod';
import { assertOwnCourses, planBroadcastAudience, segmentCourseIds, segmentSchema } from '../../../core/campaigns/index.js';
import { principalOf } from '../auth/console-auth.js';
import type { CampaignApiDeps } from './broadcasts.js';

const previewBody = z.object({ segment: z.unknown().default({}), sampleSize: z.number().int().min(0).max(100).default(10) });

/** `POST /segments/preview` — how many followers a segment reaches now, and a random sample of them. */
export function createSegmentsPreviewRouter(deps: Pick<CampaignApiDeps, 'repos' | 'clock' | 'courses'>): Router {
  const router = Router();
  router.post('/segments/preview', async (req, res) => {
    const body = previewBody.parse(req.body ?? {});
    const segment = segmentSchema.safeParse(body.segment);
    // A creator may not count (or sample) the buyers of another creator's course.
    if (segment.success) await assertOwnCourses({ courses: deps.courses }, principalOf(req), segmentCourseIds(segment.data));
    const { size, sample } = await planBroadcastAudience({ audience: deps.repos.audience, clock: deps.clock }, { segment: body.segment, sampleSize: body.sampleSize });
    res.json({ size, sample });
  });
  return router;
}
