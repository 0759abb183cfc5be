import { Router } from 'express';
import { z } from 'zod';
import { deleteFollowerData, exportFollowerData, NotFoundError, type ConsoleUnitOfWork } from '../../../core/index.js';
import { principalOf, requireRole } from '../auth/console-auth.js';
import { idParam, pageQuery } from './pagination.js';

export const followerSearchQuery = pageQuery.extend({
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Part of a display name or platform id, or a follower id' }),
  platform: z.enum(['telegram', 'wechat', 'miniprogram']).optional().meta({ description: 'Only followers with an identity on this platform' }),
  audience: z.enum(['consented', 'opted_out', 'buyers']).optional().meta({ description: 'consented: accepts marketing and not opted out; opted_out; buyers: at least one paid order' }),
  locale: z.enum(['zh-CN', 'en']).optional(),
  sort: z.enum(['last_seen', 'first_seen', 'events', 'orders', 'name']).default('last_seen'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export const timelineQuery = z.object({
  before: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * `/followers` (admins only; followers are not owned by one creator): search, a follower's event
 * timeline, and PIPL/GDPR export and deletion. The persona itself is `GET /followers/:id/persona`.
 */
export function createAdminFollowersRouter(deps: { uow: ConsoleUnitOfWork }): Router {
  const router = Router();
  router.use('/followers', requireRole('admin'));

  router.get('/followers', async (req, res) => {
    const query = followerSearchQuery.parse(req.query);
    res.json(await deps.uow.run((r) => r.followers.search(query)));
  });

  router.get('/followers/:id/timeline', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const query = timelineQuery.parse(req.query);
    const items = await deps.uow.run(async (r) => {
      const events = await r.followers.timeline(id, { before: query.before ? new Date(query.before) : undefined, limit: query.limit });
      if (events.length === 0 && !(await r.followers.exportData(id))) throw new NotFoundError('follower_not_found', `No follower with id ${id}.`);
      return events;
    });
    res.json({ items, limit: query.limit, nextBefore: items.length === query.limit ? items.at(-1)!.occurredAt.toISOString() : null });
  });

  router.get('/followers/:id/export', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const data = await exportFollowerData(deps, id, principalOf(req).actor);
    res.setHeader('Content-Disposition', `attachment; filename="follower-${id}.json"`);
    res.json({ exportedAt: new Date().toISOString(), ...data });
  });

  router.delete('/followers/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    await deleteFollowerData(deps, id, principalOf(req).actor);
    res.status(204).end();
  });

  return router;
}
