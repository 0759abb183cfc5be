import { Router } from 'express';
import { z } from 'zod';
import { getPersona, tagName, type GetPersonaDeps } from '../../../core/index.js';

const idParam = z.object({ id: z.uuid({ message: 'follower id must be a UUID' }) });

/**
 * `GET /followers/:id/persona` — the persona computed from the follower's events now; each
 * interest also carries its name in Chinese and English (`zh`, `en`) for people to read.
 */
export function createFollowersRouter(deps: GetPersonaDeps): Router {
  const router = Router();
  router.get('/followers/:id/persona', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const persona = await getPersona(deps, id);
    res.json({ ...persona, interests: persona.interests.map((i) => ({ ...i, zh: tagName(i.tag, 'zh-CN'), en: tagName(i.tag, 'en') })) });
  });
  return router;
}
