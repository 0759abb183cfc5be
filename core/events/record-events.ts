import { ValidationError } from '../errors.js';
import type { Clock, CoreMetrics, UnitOfWork } from '../ports/index.js';
import { tokenize } from '../text/tokenize.js';
import { eventInputSchema, type NewEvent, type ValidEventInput } from './event-types.js';

export const MAX_EVENT_BATCH = 500;

export type EventResult =
  | { index: number; status: 'recorded'; id: number; followerId: string }
  | { index: number; status: 'duplicate'; followerId: string }
  | { index: number; status: 'rejected'; error: { code: string; message: string; path?: string } };

export interface RecordEventsDeps {
  uow: UnitOfWork;
  clock: Clock;
  metrics: CoreMetrics;
}

const key = (platform: string, externalId: string) => `${platform}:${externalId}`;

/** Terms from message text feed persona interests; other kinds carry none. */
function termsOf(input: ValidEventInput): string[] {
  const text = input.payload['text'];
  return input.kind === 'message' && typeof text === 'string' ? tokenize(text).slice(0, 64) : [];
}

function rejectInvalid(results: EventResult[]): void {
  const rejected = results.filter((r) => r.status === 'rejected');
  if (rejected.length === 0) return;
  throw new ValidationError(
    'invalid_events',
    `${rejected.length} of ${results.length} events were rejected; nothing was recorded. Fix them and resend the batch.`,
    { results },
  );
}

/**
 * Records a batch of events atomically: every event is validated, its follower resolved (an
 * `identity` creates the follower on first sight) and its course checked; if any is invalid,
 * nothing is written and a `ValidationError` lists a result per item. Events already stored under
 * the same (platform, externalId) — platforms redeliver — are reported as `duplicate`.
 *
 * @example
 * const results = await recordEvents(deps, [{ kind: 'view', platform: 'miniprogram', externalId: 'v-1',
 *   identity: { kind: 'mp_openid', externalId: 'o123' }, courseId }]);
 */
export async function recordEvents(deps: RecordEventsDeps, inputs: readonly unknown[]): Promise<EventResult[]> {
  if (inputs.length > MAX_EVENT_BATCH) {
    throw new ValidationError('batch_too_large', `A batch holds at most ${MAX_EVENT_BATCH} events; this one has ${inputs.length}. Split it.`);
  }
  const now = deps.clock.now();
  const results: EventResult[] = new Array(inputs.length);
  const valid: Array<{ index: number; input: ValidEventInput }> = [];
  inputs.forEach((raw, index) => {
    const parsed = eventInputSchema.safeParse(raw);
    if (parsed.success) valid.push({ index, input: parsed.data });
    else {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.join('.');
      results[index] = { index, status: 'rejected', error: { code: 'invalid_event', message: path ? `${path}: ${issue.message}` : issue.message, path } };
    }
  });
  // Fail fast on shape errors before opening a transaction.
  if (valid.length < inputs.length) {
    valid.forEach(({ index }) => (results[index] ??= { index, status: 'rejected', error: { code: 'not_recorded', message: 'not recorded because another event in the batch is invalid' } }));
    rejectInvalid(results);
  }

  return deps.uow.run(async (repos) => {
    const followerOf = new Map<number, string>();
    const knownFollowers = await repos.followers.existingIds([...new Set(valid.flatMap(({ input }) => (input.followerId ? [input.followerId] : [])))]);
    const knownCourses = await repos.courses.existingIds([...new Set(valid.flatMap(({ input }) => (input.courseId ? [input.courseId] : [])))]);
    const identityCache = new Map<string, string>();
    for (const { index, input } of valid) {
      if (input.followerId) {
        if (!knownFollowers.has(input.followerId)) {
          results[index] = { index, status: 'rejected', error: { code: 'follower_not_found', message: `followerId: no follower ${input.followerId}; send an identity instead to create one`, path: 'followerId' } };
          continue;
        }
        followerOf.set(index, input.followerId);
      } else if (input.identity) {
        const identityKey = key(input.identity.kind, input.identity.externalId);
        let followerId = identityCache.get(identityKey);
        if (!followerId) {
          followerId = (await repos.followers.resolveIdentity(input.identity)).follower.id;
          identityCache.set(identityKey, followerId);
        }
        followerOf.set(index, followerId);
      }
      if (input.courseId && !knownCourses.has(input.courseId)) {
        results[index] = { index, status: 'rejected', error: { code: 'course_not_found', message: `courseId: no course ${input.courseId}`, path: 'courseId' } };
      }
    }
    if (results.some((r) => r?.status === 'rejected')) {
      valid.forEach(({ index }) => (results[index] ??= { index, status: 'rejected', error: { code: 'not_recorded', message: 'not recorded because another event in the batch is invalid' } }));
      rejectInvalid(results);
    }

    const seen = new Set<string>();
    const toInsert: NewEvent[] = [];
    for (const { index, input } of valid) {
      const k = key(input.platform, input.externalId);
      if (seen.has(k)) continue;
      seen.add(k);
      toInsert.push({
        followerId: followerOf.get(index)!,
        kind: input.kind,
        platform: input.platform,
        externalId: input.externalId,
        courseId: input.courseId ?? null,
        payload: input.payload,
        terms: termsOf(input),
        occurredAt: input.occurredAt ?? now,
      });
    }
    const inserted = await repos.events.append(toInsert);

    const lastSeen = new Map<string, Date>();
    const claimed = new Set<string>();
    for (const { index, input } of valid) {
      const followerId = followerOf.get(index)!;
      const k = key(input.platform, input.externalId);
      const id = inserted.get(k);
      if (id !== undefined && !claimed.has(k)) {
        claimed.add(k);
        results[index] = { index, status: 'recorded', id, followerId };
        const at = input.occurredAt ?? now;
        if (at > (lastSeen.get(followerId) ?? new Date(0))) lastSeen.set(followerId, at);
        deps.metrics.eventsRecorded(input.kind, 1);
      } else {
        results[index] = { index, status: 'duplicate', followerId };
      }
    }
    if (lastSeen.size > 0) await repos.followers.touchLastSeen(lastSeen);
    return results;
  });
}

/**
 * Records one event; see {@link recordEvents}. Throws `ValidationError` when it is invalid.
 *
 * @example
 * const result = await recordEvent(deps, { kind: 'follow', platform: 'telegram', externalId: 'update-1', identity });
 */
export async function recordEvent(deps: RecordEventsDeps, input: unknown): Promise<EventResult> {
  const [result] = await recordEvents(deps, [input]);
  return result!;
}
