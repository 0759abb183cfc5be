import express, { Router, type Request, type Response } from 'express';
import {
  AccessDeniedError, ConflictError, formatLearningDate, isLearnerCode, LEARNER_CODE_WINDOW_MS, learningText, NotFoundError, openLessonByLink, verifyLessonLink,
  type LearningDeps, type LessonLinkRefusal,
} from '../../../core/index.js';
import { verifySessionToken } from '../mp/session-token.js';
import { WindowRateLimiter } from '../mp/rate-limiter.js';
import { learnerOf, setLearnerCookie } from './learner-cookie.js';
import { identifyPage, lessonPage, refusalPage } from './lesson-page.js';

export interface LearnRouteDeps {
  learning: LearningDeps;
  linkSecret: string;
  /** Lets a mini-program web-view send its session, so the viewer is known. */
  mpSessionSecret?: string;
  isSecureCookie: boolean;
}

const STATUS: Record<LessonLinkRefusal, number> = { malformed: 404, bad_signature: 404, expired: 410, forwarded: 403 };
/** Wrong learner codes allowed per link owner and window: six digits cannot be guessed in this many tries. */
const CODE_TRIES = 5;

/**
 * `GET /learn/:token`: a signed lesson link opens the lesson as a page, for its own learner only.
 * The link names its learner (HMAC over follower, lesson and expiry), and the viewer must be that
 * learner: a mini-program session, or this browser's learner cookie. A viewer we cannot identify
 * gets 401 and a form for the learner code, which only the learner's own chat hands out ("验证码"
 * to the bot); `POST /learn/:token` with the right code sets the cookie and shows the lesson. So a
 * forwarded link is refused even when its owner never opened it. Other refusals: 404 (not a link
 * we signed), 410 (expired), 403 (another learner's link, a wrong code, not bought or refunded,
 * not unlocked yet), 429 (too many wrong codes).
 */
export function createLearnRouter(deps: LearnRouteDeps): Router {
  const router = Router();
  const tries = new WindowRateLimiter(deps.learning.clock, CODE_TRIES, LEARNER_CODE_WINDOW_MS);

  /** The viewer as far as we know them, and the language to answer in. */
  async function viewerOf(req: Request): Promise<{ viewer: string | undefined; locale: string }> {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const session = bearer && deps.mpSessionSecret ? verifySessionToken(deps.mpSessionSecret, bearer, deps.learning.clock.now()) : undefined;
    const viewer = session?.ok ? session.session.followerId : learnerOf(req, deps.linkSecret);
    // Refusals speak the viewer's language when we know them, else the browser's.
    const known = viewer ? await deps.learning.followers.findById(viewer) : null;
    return { viewer, locale: known?.locale ?? (req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN') };
  }

  async function open(req: Request, res: Response, viewer: string | undefined, locale: string, isProven: boolean): Promise<void> {
    const text = learningText(locale);
    const token = String(req.params['token']);
    res.setHeader('Cache-Control', 'private, no-store');
    const refuse = (status: number, message: string) => void res.status(status).type('html').send(refusalPage(message, locale));
    try {
      const result = await openLessonByLink(deps.learning, { token, secret: deps.linkSecret, viewerFollowerId: viewer, platform: 'web' });
      if (!result.ok) {
        if (result.reason === 'unidentified') return void res.status(401).type('html').send(identifyPage(locale, `${req.baseUrl}/${token}`));
        const message = result.reason === 'expired' ? text.linkExpired : result.reason === 'forwarded' ? text.linkForwarded : text.linkInvalid;
        return refuse(STATUS[result.reason], message);
      }
      const { follower } = result.opened;
      if (isProven) setLearnerCookie(res, deps.linkSecret, follower.id, deps.learning.clock.now(), deps.isSecureCookie);
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
  }

  router.get('/:token', async (req, res) => {
    const { viewer, locale } = await viewerOf(req);
    await open(req, res, viewer, locale, false);
  });

  router.post('/:token', express.urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
    const { locale } = await viewerOf(req);
    const text = learningText(locale);
    const now = deps.learning.clock.now();
    // The link itself first: an expired or forged link is refused whatever the code.
    const check = verifyLessonLink(String(req.params['token']), deps.linkSecret, now);
    if (!check.ok) return open(req, res, undefined, locale, false);
    res.setHeader('Cache-Control', 'private, no-store');
    const code = typeof req.body?.code === 'string' ? (req.body.code as string) : '';
    if (!tries.take(check.followerId, 1).ok) return void res.status(429).type('html').send(identifyPage(locale, `${req.baseUrl}/${req.params['token']}`, text.tooManyTries));
    if (!isLearnerCode(deps.linkSecret, check.followerId, code, now)) {
      return void res.status(403).type('html').send(identifyPage(locale, `${req.baseUrl}/${req.params['token']}`, text.codeWrong));
    }
    // Proven in the chat of the link's own learner: this browser is theirs from now on.
    await open(req, res, check.followerId, locale, true);
  });
  return router;
}
