import { Router } from 'express';
import { z } from 'zod';
import {
  closeHandoff, HANDOFF_STATUSES, listInbox, readThread, replyToHandoff,
  type CloseHandoffDeps, type HandoffInbox, type ReadThreadDeps, type ReplyToHandoffDeps,
} from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { idParam, pageQuery } from './pagination.js';

export const inboxQuery = pageQuery.extend({
  /** Comma-separated statuses; default: every hand-off not closed. */
  status: z
    .string()
    .default('open,answered')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(HANDOFF_STATUSES, { message: `expected statuses among ${HANDOFF_STATUSES.join(', ')}` })).min(1)),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export const inboxReplyBody = z.object({
  text: z.string().trim().min(1, 'write something to send').max(4000),
  /** The client's idempotency key: a retry with the same key is the same reply, sent once. */
  clientKey: z.string().trim().min(8).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, _ . : or -'),
});

export type InboxRouterDeps = ReadThreadDeps & Omit<ReplyToHandoffDeps, 'inbox'> & Omit<CloseHandoffDeps, 'inbox'> & { inbox: HandoffInbox };

/**
 * `/inbox` — hand-offs to a person: the list (waiting ones first, with their waiting time), one
 * thread (the follower's persona in short and the messages), a staff reply sent through the bot of
 * the follower's platform (idempotent on `clientKey`), and closing. Admins see every hand-off; a
 * creator those about their own courses (others answer 404).
 */
export function createInboxRouter(deps: InboxRouterDeps): Router {
  const router = Router();

  router.get('/inbox', async (req, res) => {
    const query = inboxQuery.parse(req.query);
    res.json(await listInbox(deps, principalOf(req), { statuses: query.status, page: query.page, pageSize: query.pageSize }));
  });

  router.get('/inbox/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    res.json(await readThread(deps, principalOf(req), id));
  });

  router.post('/inbox/:id/replies', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const body = inboxReplyBody.parse(req.body);
    const { message, isNew } = await replyToHandoff(deps, principalOf(req), id, body);
    res.status(isNew ? 201 : 200).json({ message });
  });

  router.post('/inbox/:id/close', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const { handoff } = await closeHandoff(deps, principalOf(req), id);
    res.json({ handoff });
  });

  return router;
}
