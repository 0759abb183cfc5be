import { Router } from 'express';
import { z } from 'zod';
import { controlBroadcast, createBroadcast, enqueueBroadcast, findManagedBroadcast, type Campaign } from '../../../core/campaigns/index.js';
import type { Clock, CouponLedger, CourseRepository, Recommender } from '../../../core/index.js';
import type { CampaignRepositories } from '../../../models/repositories/pg-campaign-repositories.js';
import { principalOf } from '../auth/console-auth.js';

export interface CampaignApiDeps {
  repos: CampaignRepositories;
  courses: CourseRepository;
  clock: Clock;
  /** The one recommender chain (`ctx.recommender`): previews of "each follower's own pick" ask it. */
  recommender?: Recommender;
  /** Called after messages were enqueued, to wake an idle dispatcher in this process. */
  onEnqueued?: () => void;
  /** Coupons, to refuse a variant offering one that does not exist or is another creator's. */
  coupons?: Pick<CouponLedger, 'findByCode'>;
}

export const broadcastListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const idParam = z.object({ id: z.uuid({ message: 'broadcast id must be a UUID' }) });
const commandParam = z.object({ id: z.uuid({ message: 'broadcast id must be a UUID' }), command: z.enum(['pause', 'resume', 'cancel']) });

export function broadcastJson(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    segment: c.segment,
    variants: c.variants,
    allocation: c.allocation,
    sendMode: c.sendMode,
    sendAt: c.sendAt?.toISOString() ?? null,
    localDate: c.localDate,
    localTime: c.localTime,
    attributionHours: c.attributionHours,
    priority: c.priority,
    holdoutPercent: c.holdoutPercent,
    audienceSize: c.audienceSize,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    enqueuedAt: c.enqueuedAt?.toISOString() ?? null,
    completedAt: c.completedAt?.toISOString() ?? null,
  };
}

/**
 * `GET /broadcasts` (newest first, with progress), `POST /broadcasts` (compose, target, schedule; the audience is planned into the outbox at once),
 * `GET /broadcasts/:id` (with live progress), `POST /broadcasts/:id/pause|resume|cancel`.
 * Admins see and control every broadcast; a creator only their own, and another creator's answers 404 like a missing one.
 */
export function createBroadcastsRouter(deps: CampaignApiDeps): Router {
  const router = Router();
  const { campaigns, audience, outbox, guardSettings } = deps.repos;

  router.post('/broadcasts', async (req, res) => {
    const campaign = await createBroadcast({ campaigns, courses: deps.courses, clock: deps.clock, ...(deps.coupons ? { coupons: deps.coupons } : {}) }, req.body, principalOf(req));
    // Enqueueing is idempotent: if this request dies half-way, the broadcast-dispatcher job finishes it.
    const { enqueued, heldOut, audienceSize } = await enqueueBroadcast({ campaigns, audience, outbox, clock: deps.clock, settings: guardSettings }, campaign.id);
    deps.onEnqueued?.();
    const stored = (await campaigns.findById(campaign.id))!;
    res.status(201).json({ broadcast: broadcastJson(stored), enqueued, heldOut, audienceSize });
  });

  router.get('/broadcasts', async (req, res) => {
    const principal = principalOf(req);
    const { limit } = broadcastListQuery.parse(req.query);
    // Creators are always accounts (only the admin token has no id); '' would match nothing.
    const items = await campaigns.listRecent(limit, principal.role === 'admin' ? undefined : (principal.id ?? ''));
    res.json({ items: await Promise.all(items.map(async (c) => ({ ...broadcastJson(c), progress: await campaigns.progress(c.id) }))) });
  });

  router.get('/broadcasts/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const campaign = await findManagedBroadcast({ campaigns }, principalOf(req), id);
    res.json({ broadcast: broadcastJson(campaign), progress: await campaigns.progress(id) });
  });

  router.post('/broadcasts/:id/:command', async (req, res) => {
    const { id, command } = commandParam.parse(req.params);
    await findManagedBroadcast({ campaigns }, principalOf(req), id);
    const campaign = await controlBroadcast({ campaigns, clock: deps.clock }, id, command);
    if (command === 'resume') deps.onEnqueued?.();
    res.json({ broadcast: broadcastJson(campaign), progress: await campaigns.progress(id) });
  });

  return router;
}
