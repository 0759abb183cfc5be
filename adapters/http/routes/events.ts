import { Router } from 'express';
import { z } from 'zod';
import { assertMayRecordEvents, MAX_EVENT_BATCH, recordEvents, type EventResult, type RecordEventsDeps } from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { HttpError } from '../errors.js';

const batchSchema = z.object({ events: z.array(z.unknown()).min(1, 'send at least one event') });

/**
 * `POST /events` — a batch of up to 500 events, all recorded or none, with a result per item.
 * Duplicates (same platform and externalId) are reported, not errors. Creators may write only
 * engagement events on their own courses (see `assertMayRecordEvents`); a batch written by an
 * account (a console session or its API token) is audited with its counts per kind, while the
 * admin API token, the ingestion pipeline's, is not.
 */
export function createEventsRouter(deps: RecordEventsDeps): Router {
  const router = Router();
  router.post('/events', async (req, res) => {
    const body = batchSchema.parse(Array.isArray(req.body) ? { events: req.body } : req.body);
    if (body.events.length > MAX_EVENT_BATCH) {
      throw new HttpError(413, 'batch_too_large', `A batch holds at most ${MAX_EVENT_BATCH} events; this one has ${body.events.length}. Split it.`);
    }
    const principal = principalOf(req);
    await assertMayRecordEvents({ courses: deps.uow.repos.courses }, principal, body.events);
    const results = await recordEvents(deps, body.events);
    const recorded = results.filter((r) => r.status === 'recorded').length;
    if (principal.id !== null) {
      await deps.uow.repos.audit.record({ actor: principal.actor, action: 'events.record', subjectType: 'events', subjectId: null, details: auditDetails(body.events, results, recorded) });
    }
    res.status(recorded > 0 ? 201 : 200).json({ recorded, duplicates: results.length - recorded, results });
  });
  return router;
}

/** What the audit keeps of a batch: how many events of each kind were new, and the courses they name. */
function auditDetails(inputs: readonly unknown[], results: readonly EventResult[], recorded: number) {
  const kinds: Record<string, number> = {};
  const courseIds = new Set<string>();
  for (const result of results) {
    if (result.status !== 'recorded') continue;
    const input = inputs[result.index] as { kind: string; courseId?: string };
    kinds[input.kind] = (kinds[input.kind] ?? 0) + 1;
    if (input.courseId) courseIds.add(input.courseId);
  }
  return { recorded, duplicates: results.length - recorded, kinds, courseIds: [...courseIds] };
}
