import { Router } from 'express';
import { AccessDeniedError, ConflictError, formatLearningDate, learningText, NotFoundError, openLessonByLink, type LearningDeps, type LessonLinkRefusal } from '../../../core/index.js';
import { verifySessionToken } from '../mp/session-token.js';
import { learnerOf, setLearnerCookie } from './learner-cookie.js';
import { lessonPage, refusalPage } from './lesson-page.js';

export interface LearnRouteDeps {
  learning: LearningDeps;
  linkSecret: string;
  /** Lets a mini-program web-view send its session, so the viewer is known. */
  mpSessionSecret?: string;
  isSecureCookie: boolean;
}

const STATUS: Record<LessonLinkRefusal, number> = { malformed: 404, bad_signature: 404, expired: 410, forwarded: 403 };

/**
 * `GET /learn/:token`: a signed lesson link opens the lesson as a page. Refused with 404 (not a
 * link we signed), 410 (expired), 403 (issued to another learner than this browser's or session's,
 * not bought or refunded, or not unlocked yet). The first browser to open a learner's link is
 * remembered as theirs (a signed cookie).
 */
export function createLearnRouter(deps: LearnRouteDeps): Router {
  const router = Router();
  router.get('/:token', async (req, res) => {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const now = deps.learning.clock.now();
    const session = bearer && deps.mpSessionSecret ? verifySessionToken(deps.mpSessionSecret, bearer, now) : undefined;
    const viewer = session?.ok ? session.session.followerId : learnerOf(req, deps.linkSecret);
    // Refusals speak the viewer's language when we know them, else the browser's.
    const known = viewer ? await deps.learning.followers.findById(viewer) : null;
    const locale = known?.locale ?? (req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN');
    const text = learningText(locale);
    res.setHeader('Cache-Control', 'private, no-store');
    const refuse = (status: number, message: string) => {
      res.status(status).type('html').send(refusalPage(message, locale));
    };
    try {
      const result = await openLessonByLink(deps.learning, { token: String(req.params['token']), secret: deps.linkSecret, viewerFollowerId: viewer, platform: 'web' });
      if (!result.ok) {
        const message = result.reason === 'expired' ? text.linkExpired : result.reason === 'forwarded' ? text.linkForwarded : text.linkInvalid;
        refuse(STATUS[result.reason], message);
        return;
      }
      const { follower } = result.opened;
      if (!viewer) setLearnerCookie(res, deps.linkSecret, follower.id, now, deps.isSecureCookie);
      res.type('html').send(lessonPage(result.opened, follower.locale));
    } catch (error) {
      if (error instanceof AccessDeniedError) return refuse(403, text.noAccess);
      if (error instanceof ConflictError && error.code === 'lesson_locked') {
        const details = error.details as { unlocksAt: string; timeZone: string };
        return refuse(403, `${text.lessonLocked} ${text.nothingOpen(formatLearningDate(new Date(details.unlocksAt), locale, details.timeZone))}`);
      }
      if (error instanceof NotFoundError) return refuse(404, text.linkInvalid);
      throw error;
    }
  });
  return router;
}
