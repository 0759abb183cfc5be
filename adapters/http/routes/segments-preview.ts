import { Router } from 'express';
import { z } from 'zod';
import { assertOwnCourses, COURSE_PICKS, planBroadcastAudience, previewPicks, segmentCourseIds, segmentSchema } from '../../../core/campaigns/index.js';
import { AccessDeniedError, ValidationError } from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import type { CampaignApiDeps } from './broadcasts.js';

export const previewBody = z.object({
  segment: z.unknown().default({}),
  sampleSize: z.number().int().min(0).max(100).default(10),
  /** Also show which course each follower's own pick would send, over a random sample of `pickSampleSize`. */
  pick: z.enum(COURSE_PICKS).optional(),
  pickSampleSize: z.number().int().min(1).max(200).default(50),
});

/**
 * `POST /segments/preview` — how many followers a segment can reach now (consent, not opted out,
 * reachable, with a chat), how many it selects but cannot reach (`excluded`, by reason), a random
 * sample; with `pick`, the distribution of each follower's own pick over a sample (`picks`).
 */
export function createSegmentsPreviewRouter(deps: Pick<CampaignApiDeps, 'repos' | 'clock' | 'courses' | 'recommender'>): Router {
  const router = Router();
  router.post('/segments/preview', async (req, res) => {
    const body = previewBody.parse(req.body ?? {});
    const segment = segmentSchema.safeParse(body.segment);
    // A creator may not count (or sample) the buyers of another creator's course.
    if (segment.success) await assertOwnCourses({ courses: deps.courses }, principalOf(req), segmentCourseIds(segment.data));
    const { size, sample, excluded } = await planBroadcastAudience({ audience: deps.repos.audience, clock: deps.clock }, { segment: body.segment, sampleSize: body.sampleSize });
    if (!body.pick) return void res.json({ size, sample, excluded });
    if (principalOf(req).role !== 'admin') throw new AccessDeniedError('pick_admin_only', "Each follower's own pick offers any creator's course, so only admins may use it.");
    if (!deps.recommender) throw new ValidationError('recommender_unavailable', 'No recommender is wired in this process; previews of picks need one (wire the core context recommender into the campaign mounts).');
    const picks = await previewPicks(
      {
        audience: deps.repos.audience, recommender: deps.recommender, crossSell: deps.repos.rules, nextInPath: deps.repos.paths, rates: deps.repos.purchaseRates,
        courses: deps.courses, clock: deps.clock,
      },
      { segment: body.segment, pick: body.pick, sampleSize: body.pickSampleSize },
    );
    res.json({ size, sample, excluded, picks });
  });
  return router;
}
