import { Router, type RequestHandler } from 'express';
import { codeForFollower, miniProgramSharePath, type UnitOfWork } from '../../../core/index.js';
import type { myReferral } from './schemas.js';
import { sessionOf } from './session-auth.js';
import type { z } from 'zod';

/**
 * `GET /my/referral` — the session follower's own referral code (the same every time) and the page
 * path to share (`onShareAppMessage`), whose `scene` attributes a new follower who opens it.
 */
export function createReferralRouter(deps: { uow: UnitOfWork }, requireSession: RequestHandler): Router {
  const router = Router();
  router.get('/my/referral', requireSession, async (_req, res) => {
    const { followerId } = sessionOf(res);
    const code = await codeForFollower(deps.uow.repos, followerId);
    const answer: z.infer<typeof myReferral> = { code, sharePath: miniProgramSharePath(code), scene: code };
    res.json(answer);
  });
  return router;
}
