import { Router } from 'express';
import { z } from 'zod';
import { getPersona, type GetPersonaDeps } from '../../../core/index.js';

const idParam = z.object({ id: z.uuid({ message: 'follower id must be a UUID' }) });

/** `GET /followers/:id/persona` — the persona computed from the follower's events now. */
export function createFollowersRouter(deps: GetPersonaDeps): Router {
  const router = Router();
  router.get('/followers/:id/persona', async (req, res) => {
    const { id } = idParam.parse(req.params);
    res.json(await getPersona(deps, id));
  });
  return router;
}
