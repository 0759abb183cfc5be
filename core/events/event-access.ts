import { z } from 'zod';
import type { Principal } from '../accounts/account.js';
import { AccessDeniedError } from '../errors.js';
import type { CourseRepository } from '../ports/repositories.js';
import type { EventKind } from './event-types.js';

/**
 * The kinds a creator may write through the admin API: engagement with a course. Money-bearing
 * kinds (`checkout`, `purchase`, `refund`) move revenue figures, RFM and retargeting (an abandoned
 * checkout triggers messages), and course-less kinds (`follow`, `unfollow`, `message`) shape every
 * creator's view of a follower; those are for admins and admin-scoped tokens only.
 */
export const CREATOR_EVENT_KINDS: readonly EventKind[] = ['view', 'click', 'like', 'share', 'comment'];

/**
 * Refuses (AccessDeniedError, nothing written) a batch a caller may not write. Admins write any
 * event; a creator only {@link CREATOR_EVENT_KINDS}, each naming a `courseId` of their own.
 * Checked on the raw items, before validation, so no malformed item slips past.
 *
 * @example
 * await assertMayRecordEvents({ courses }, principal, req.body.events);
 */
export async function assertMayRecordEvents(
  deps: { courses: Pick<CourseRepository, 'findById'> },
  principal: Principal,
  inputs: readonly unknown[],
): Promise<void> {
  if (principal.role === 'admin') return;
  const items = inputs.map((raw) => (typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown; courseId?: unknown }) : {}));
  const courseIds = [...new Set(items.flatMap((i) => (z.uuid().safeParse(i.courseId).success ? [i.courseId as string] : [])))];
  const owned = new Set<string>();
  for (const id of courseIds) {
    const course = await deps.courses.findById(id);
    if (course && principal.id !== null && course.creatorId === principal.id) owned.add(id);
  }
  const refused = items.flatMap((item, index) => {
    if (!CREATOR_EVENT_KINDS.includes(item.kind as EventKind)) return [{ index, reason: `kind ${String(item.kind)} is for admins only` }];
    if (typeof item.courseId !== 'string' || !owned.has(item.courseId)) return [{ index, reason: 'courseId must name one of your own courses' }];
    return [];
  });
  if (refused.length === 0) return;
  throw new AccessDeniedError(
    'event_not_allowed',
    `Creators may record only ${CREATOR_EVENT_KINDS.join(', ')} events on their own courses; ${refused.length} of ${items.length} events are not. Nothing was recorded.`,
    { refused },
  );
}
