import { Router } from 'express';
import { z } from 'zod';
import { MAX_EVENT_BATCH, recordEvents, type RecordEventsDeps } from '../../../core/index.js';
import { HttpError } from '../errors.js';

const batchSchema = z.object({ events: z.array(z.unknown()).min(1, 'send at least one event') });

/**
 * `POST /events` — a batch of up to 500 events, all recorded or none, with a result per item.
 * Duplicates (same platform and externalId) are reported, not errors.
 */
export function createEventsRouter(deps: RecordEventsDeps): Router {
  const router = Router();
  router.post('/events', async (req, res) => {
    const body = batchSchema.parse(Array.isArray(req.body) ? { events: req.body } : req.body);
    if (body.events.length > MAX_EVENT_BATCH) {
      throw new HttpError(413, 'batch_too_large', `A batch holds at most ${MAX_EVENT_BATCH} events; this one has ${body.events.length}. Split it.`);
    }
    const results = await recordEvents(deps, body.events);
    const recorded = results.filter((r) => r.status === 'recorded').length;
    res.status(recorded > 0 ? 201 : 200).json({ recorded, duplicates: results.length - recorded, results });
  });
  return router;
}
