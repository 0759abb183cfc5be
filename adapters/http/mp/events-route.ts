import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import { recordEvents, type RecordEventsDeps } from '../../../core/index.js';
import { HttpError } from '../errors.js';
import type { WindowRateLimiter } from './rate-limiter.js';
import { eventsRequest, MAX_MP_EVENT_BATCH, type eventsResponse } from './schemas.js';
import { sessionOf } from './session-auth.js';

/**
 * `POST /events` — batched view/click/share/like from the mini-program, for the session's
 * follower. At most 50 per batch (413 above), and a per-session budget of events per minute (429).
 * Resending an event with the same clientEventId is reported as a duplicate.
 */
export function createMpEventsRouter(deps: { recordEventsDeps: RecordEventsDeps; limiter: WindowRateLimiter }, requireSession: RequestHandler): Router {
  const router = Router();
  router.post('/events', requireSession, async (req, res) => {
    const raw = req.body as { events?: unknown } | undefined;
    if (Array.isArray(raw?.events) && raw.events.length > MAX_MP_EVENT_BATCH) {
      throw new HttpError(413, 'batch_too_large', `A batch holds at most ${MAX_MP_EVENT_BATCH} events; this one has ${raw.events.length}. Split it.`);
    }
    const body = eventsRequest.parse(req.body);
    const session = sessionOf(res);
    const verdict = deps.limiter.take(session.sid, body.events.length);
    if (!verdict.ok) {
      res.setHeader('Retry-After', String(Math.ceil(verdict.retryAfterMs / 1000)));
      throw new HttpError(429, 'rate_limited', `Too many events from this session; retry after ${Math.ceil(verdict.retryAfterMs / 1000)} s.`);
    }
    const results = await recordEvents(
      deps.recordEventsDeps,
      body.events.map((e) => ({
        kind: e.kind,
        platform: 'miniprogram',
        // Scoped by follower so two people's client ids never collide.
        externalId: `${session.followerId}:${e.clientEventId}`,
        followerId: session.followerId,
        courseId: e.courseId,
        occurredAt: e.occurredAt,
        payload: e.payload ?? {},
      })),
    );
    const answer: z.infer<typeof eventsResponse> = {
      recorded: results.filter((r) => r.status === 'recorded').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      results: results.map((r, i) => ({ clientEventId: body.events[i]!.clientEventId, status: r.status === 'recorded' ? 'recorded' : 'duplicate' })),
    };
    res.status(answer.recorded > 0 ? 201 : 200).json(answer);
  });
  return router;
}
