import { ValidationError } from '../errors.js';
import type { Follower } from '../followers/follower.js';
import type { Clock, CoreMetrics, UnitOfWork } from '../ports/index.js';
import { storableValue } from '../text/storable-text.js';
import { tokenize } from '../text/tokenize.js';
import type { RiskMonitor } from '../risk/risk-monitor.js';
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
  /** The risk scorer: told of every recorded event, in memory, before the caller gets its results. */
  risk?: RiskMonitor;
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
 * the same (platform, externalId) — platforms redeliver — are reported as `duplicate`. NUL
 * characters and lone surrogates anywhere in an event (which PostgreSQL cannot store) are stored
 * as U+FFFD.
 *
 * @example
 * const results = await recordEvents(deps, [{ kind: 'view', platform: 'miniprogram', externalId: 'v-1',
 *   identity: { kind: 'mp_openid', externalId: 'o123' }, courseId }]);
 */
export async function recordEvents(deps: RecordEventsDeps, inputs: readonly unknown[]): Promise<EventResult[]> {
  return (await recordEventsSeeingFollowers(deps, inputs)).results;
}

/** What {@link recordEventsSeeingFollowers} did: a result per item, and the followers whose new events moved their last-seen time, as they are now. */
export interface RecordedEvents {
  results: EventResult[];
  followers: Map<string, Follower>;
}

/**
 * {@link recordEvents}, also returning the rows of the followers it touched (those with a new
 * event), read by the same statement that moved their last-seen time: a caller that goes on to
 * use the follower (a chat reply) saves a read.
 *
 * @example
 * const { results, followers } = await recordEventsSeeingFollowers(deps, [event]);
 */
export async function recordEventsSeeingFollowers(deps: RecordEventsDeps, inputs: readonly unknown[]): Promise<RecordedEvents> {
  if (inputs.length > MAX_EVENT_BATCH) {
    throw new ValidationError('batch_too_large', `A batch holds at most ${MAX_EVENT_BATCH} events; this one has ${inputs.length}. Split it.`);
  }
  const now = deps.clock.now();
  const results: EventResult[] = new Array(inputs.length);
  const valid: Array<{ index: number; input: ValidEventInput }> = [];
  inputs.forEach((raw, index) => {
    // Text from platforms can hold NUL or half a surrogate pair, which PostgreSQL refuses (the
    // whole batch would fail); they become U+FFFD here, on every path that records events.
    const parsed = eventInputSchema.safeParse(storableValue(raw));
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

  // Known followers only (no identity to resolve): one atomic statement, no transaction.
  if (valid.every(({ input }) => input.followerId)) {
    const followerOf = new Map(valid.map(({ index, input }) => [index, input.followerId!]));
    const { inserted, touched, missingFollowerIds, missingCourseIds } = await deps.uow.repos.events.appendChecked(rowsToInsert(valid, followerOf, now));
    rejectMissing(valid, results, (id) => !missingFollowerIds.has(id), (id) => !missingCourseIds.has(id));
    resultsOf(deps, valid, followerOf, inserted, results, now);
    const followers = byId(touched);
    observeRecorded(deps, valid, results, followers, now);
    return { results, followers };
  }

  const recorded = await deps.uow.run(async (repos) => {
    const followerOf = new Map<number, string>();
    const knownFollowers = await repos.followers.existingIds([...new Set(valid.flatMap(({ input }) => (input.followerId ? [input.followerId] : [])))]);
    const knownCourses = await repos.courses.existingIds([...new Set(valid.flatMap(({ input }) => (input.courseId ? [input.courseId] : [])))]);
    const identityCache = new Map<string, string>();
    for (const { index, input } of valid) {
      if (input.followerId) {
        if (knownFollowers.has(input.followerId)) followerOf.set(index, input.followerId);
      } else if (input.identity) {
        const identityKey = key(input.identity.kind, input.identity.externalId);
        let followerId = identityCache.get(identityKey);
        if (!followerId) {
          followerId = (await repos.followers.resolveIdentity(input.identity)).follower.id;
          identityCache.set(identityKey, followerId);
        }
        followerOf.set(index, followerId);
      }
    }
    rejectMissing(valid, results, (id) => knownFollowers.has(id), (id) => knownCourses.has(id));
    const inserted = await repos.events.append(rowsToInsert(valid, followerOf, now));
    const { lastSeen } = resultsOf(deps, valid, followerOf, inserted, results, now);
    return { results, followers: byId(await repos.followers.touchLastSeen(lastSeen)) };
  });
  // After the commit: an event rolled back is not scored.
  observeRecorded(deps, valid, recorded.results, recorded.followers, now);
  return recorded;
}

/** Tells the risk scorer of each event recorded now (not of duplicates): counters in memory, no I/O. */
function observeRecorded(
  deps: RecordEventsDeps,
  valid: ReadonlyArray<{ index: number; input: ValidEventInput }>,
  results: readonly EventResult[],
  followers: ReadonlyMap<string, Follower>,
  now: Date,
): void {
  const risk = deps.risk;
  if (!risk) return;
  for (const { index, input } of valid) {
    const result = results[index];
    if (result?.status !== 'recorded') continue;
    const text = input.payload['text'];
    const createdAt = followers.get(result.followerId)?.createdAt;
    risk.observe({
      followerId: result.followerId,
      kind: input.kind,
      courseId: input.courseId ?? null,
      ...(input.kind === 'message' && typeof text === 'string' ? { text } : {}),
      occurredAt: input.occurredAt && input.occurredAt < now ? input.occurredAt : now,
      ...(createdAt ? { followerCreatedAt: createdAt } : {}),
    });
  }
}

const byId = (followers: readonly Follower[]) => new Map(followers.map((f) => [f.id, f]));

/** Rejects the batch (nothing written) if an event names a follower or course that does not exist. */
function rejectMissing(
  valid: ReadonlyArray<{ index: number; input: ValidEventInput }>,
  results: EventResult[],
  isFollower: (id: string) => boolean,
  isCourse: (id: string) => boolean,
): void {
  for (const { index, input } of valid) {
    if (input.followerId && !isFollower(input.followerId)) {
      results[index] = { index, status: 'rejected', error: { code: 'follower_not_found', message: `followerId: no follower ${input.followerId}; send an identity instead to create one`, path: 'followerId' } };
    } else if (input.courseId && !isCourse(input.courseId)) {
      results[index] = { index, status: 'rejected', error: { code: 'course_not_found', message: `courseId: no course ${input.courseId}`, path: 'courseId' } };
    }
  }
  if (!results.some((r) => r?.status === 'rejected')) return;
  valid.forEach(({ index }) => (results[index] ??= { index, status: 'rejected', error: { code: 'not_recorded', message: 'not recorded because another event in the batch is invalid' } }));
  rejectInvalid(results);
}

/** The rows to write: one per (platform, externalId), the first occurrence in the batch. */
function rowsToInsert(valid: ReadonlyArray<{ index: number; input: ValidEventInput }>, followerOf: ReadonlyMap<number, string>, now: Date): NewEvent[] {
  const seen = new Set<string>();
  const rows: NewEvent[] = [];
  for (const { index, input } of valid) {
    const k = key(input.platform, input.externalId);
    if (seen.has(k)) continue;
    seen.add(k);
    rows.push({
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
  return rows;
}

/**
 * Fills each item's result from what was inserted (a repeated or already stored event is a
 * duplicate), counts the recorded events, and returns each follower's newest new event time.
 */
function resultsOf(
  deps: RecordEventsDeps,
  valid: ReadonlyArray<{ index: number; input: ValidEventInput }>,
  followerOf: ReadonlyMap<number, string>,
  inserted: ReadonlyMap<string, number>,
  results: EventResult[],
  now: Date,
): { results: EventResult[]; lastSeen: Map<string, Date> } {
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
  return { results, lastSeen };
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
