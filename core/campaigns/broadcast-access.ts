import { canManageCourse, type Principal } from '../accounts/index.js';
import type { CouponLedger } from '../commerce/coupon-ports.js';
import { AccessDeniedError, NotFoundError, ValidationError } from '../errors.js';
import type { CourseRepository } from '../ports/repositories.js';
import type { CampaignRepository } from './campaign-ports.js';
import type { Campaign, Segment } from './campaign-types.js';

/** What `campaigns.created_by` holds for the configured admin API token, which has no account. */
export const ADMIN_TOKEN_OWNER = 'admin';

/**
 * The owner a caller's broadcasts are stored with: its account id, or `'admin'` for the admin API token.
 *
 * @example
 * broadcastOwnerOf({ id: null, role: 'admin', actor: 'admin-api-token' }); // 'admin'
 */
export function broadcastOwnerOf(principal: Principal): string {
  return principal.id ?? ADMIN_TOKEN_OWNER;
}

/** Whether a caller may see and control a broadcast: admins every one, creators those they created. */
export function canManageBroadcast(principal: Principal, campaign: Pick<Campaign, 'createdBy'>): boolean {
  return principal.role === 'admin' || (principal.id !== null && principal.id === campaign.createdBy);
}

/**
 * The broadcast with this id if the caller may manage it. Another creator's broadcast answers
 * exactly like a missing one, so a creator cannot learn which ids exist.
 *
 * @example
 * const campaign = await findManagedBroadcast({ campaigns }, principal, id); // throws NotFoundError otherwise
 */
export async function findManagedBroadcast(deps: { campaigns: Pick<CampaignRepository, 'findById'> }, principal: Principal, id: string): Promise<Campaign> {
  const campaign = await deps.campaigns.findById(id);
  if (!campaign || !canManageBroadcast(principal, campaign)) throw new NotFoundError('campaign_not_found', `No broadcast with id ${id}.`);
  return campaign;
}

/**
 * Refuses a creator's use of another creator's courses: on course cards, and in a segment's
 * owns / does-not-own filters (which would reveal, or target, that creator's buyers). Admins may
 * use any course.
 *
 * @example
 * await assertOwnCourses({ courses }, principal, [cardCourseId, segment.ownsCourseId]);
 */
export async function assertOwnCourses(deps: { courses: Pick<CourseRepository, 'findById'> }, principal: Principal, courseIds: ReadonlyArray<string | undefined>): Promise<void> {
  if (principal.role === 'admin') return;
  const ids = [...new Set(courseIds.filter((id): id is string => Boolean(id)))];
  const courses = await Promise.all(ids.map((id) => deps.courses.findById(id)));
  const foreign = courses.flatMap((c) => (c && !canManageCourse(principal, c.creatorId) ? [c.id] : []));
  if (foreign.length > 0) throw new AccessDeniedError('course_not_yours', `Course ${foreign.join(', ')} belongs to another creator; use only your own courses on cards and in segments.`);
}

/** The courses a segment names in its ownership filters. */
export function segmentCourseIds(segment: Pick<Segment, 'ownsCourseId' | 'notOwnsCourseId'>): Array<string | undefined> {
  return [segment.ownsCourseId, segment.notOwnsCourseId];
}

/**
 * Refuses variants that offer a coupon which does not exist (422 `coupon_not_found`), or, for a
 * creator, one that is not theirs (403 `coupon_not_yours`: of another creator, or of another
 * creator's course). Admins may offer any coupon that exists.
 *
 * @example
 * await assertOfferedCoupons({ coupons, courses }, principal, input.variants);
 */
export async function assertOfferedCoupons(
  deps: { coupons: Pick<CouponLedger, 'findByCode'>; courses: Pick<CourseRepository, 'findById'> },
  principal: Principal,
  variants: ReadonlyArray<{ couponCode?: string | undefined }>,
): Promise<void> {
  for (const code of new Set(variants.flatMap((v) => (v.couponCode ? [v.couponCode] : [])))) {
    const found = await deps.coupons.findByCode(code);
    if (found.length === 0) throw new ValidationError('coupon_not_found', `No coupon "${code}"; create it first (POST /api/coupons) or remove couponCode from the variant.`);
    if (principal.role === 'admin') continue;
    const owners = await Promise.all(found.map(async ({ coupon }) => (coupon.courseId ? ((await deps.courses.findById(coupon.courseId))?.creatorId ?? null) : coupon.creatorId)));
    if (!owners.some((owner) => canManageCourse(principal, owner))) throw new AccessDeniedError('coupon_not_yours', `The coupon "${code}" belongs to another creator; offer only your own coupons.`);
  }
}
