import type { Principal } from '../accounts/index.js';
import { AccessDeniedError, parseInput, ValidationError } from '../errors.js';
import { isValidTimeZone } from '../followers/follower.js';
import { fromWallTime } from '../guards/index.js';
import type { CourseRepository } from '../ports/repositories.js';
import type { Clock } from '../ports/runtime.js';
import type { CouponLedger } from '../commerce/coupon-ports.js';
import { assertOfferedCoupons, assertOwnCourses, broadcastOwnerOf, segmentCourseIds } from './broadcast-access.js';
import type { CampaignRepository } from './campaign-ports.js';
import { broadcastInputSchema, type Campaign, type NewCampaign } from './campaign-types.js';

/**
 * Validates and stores a broadcast (status `scheduled`) owned by the caller. Courses on cards must
 * exist, and a creator may only show their own courses (AccessDeniedError otherwise); a variant
 * may instead pick each follower's own course at send time (`pick: 'recommended' | 'cross_sell' | 'next_in_path'`).
 * A coupon a variant offers must exist and, for a creator, be theirs (with `coupons`).
 * Times in a zone are converted to UTC here. Enqueueing is a separate step (`enqueueBroadcast`).
 *
 * @example
 * const campaign = await createBroadcast({ campaigns, courses, clock }, { name: 'Spring sale', variants: [{ key: 'A', text: { en: 'Hi' } }] }, principal);
 */
export async function createBroadcast(
  deps: { campaigns: CampaignRepository; courses: CourseRepository; clock: Clock; coupons?: Pick<CouponLedger, 'findByCode'> },
  input: unknown,
  caller: Principal,
): Promise<Campaign> {
  const parsed = parseInput(broadcastInputSchema, input);
  const courseIds = [...new Set(parsed.variants.flatMap((v) => (v.courseId ? [v.courseId] : [])))];
  const known = await deps.courses.existingIds(courseIds);
  const missing = courseIds.filter((id) => !known.has(id));
  if (missing.length > 0) throw new ValidationError('course_not_found', `No course with id ${missing.join(', ')}; create the course first or remove it from the variant.`);
  await assertOwnCourses(deps, caller, [...courseIds, ...segmentCourseIds(parsed.segment)]);
  if (deps.coupons) await assertOfferedCoupons({ coupons: deps.coupons, courses: deps.courses }, caller, parsed.variants);
  // The recommender picks from the whole catalogue, which holds other creators' courses too.
  if (caller.role !== 'admin' && parsed.variants.some((v) => v.pick)) {
    throw new AccessDeniedError('pick_admin_only', "Each follower's own pick offers any creator's course, so only admins may use it; put one of your courses on the card instead (courseId).");
  }

  const send = parsed.sendTime;
  const campaign: NewCampaign = {
    name: parsed.name,
    segment: parsed.segment,
    variants: parsed.variants,
    allocation: parsed.allocation,
    sendMode: 'now',
    sendAt: null,
    localDate: null,
    localTime: null,
    attributionHours: parsed.attributionHours,
    priority: parsed.priority,
    holdoutPercent: parsed.holdoutPercent,
    createdBy: broadcastOwnerOf(caller),
  };
  if (send.mode === 'at') {
    campaign.sendMode = 'at';
    campaign.sendAt = new Date(send.at);
  } else if (send.mode === 'creator_local') {
    if (!isValidTimeZone(send.timeZone)) throw new ValidationError('invalid_time_zone', `Unknown time zone ${JSON.stringify(send.timeZone)}; use an IANA name such as Asia/Shanghai.`);
    const [year, month, day] = send.date.split('-').map(Number) as [number, number, number];
    const [hour, minute] = send.time.split(':').map(Number) as [number, number];
    campaign.sendMode = 'at';
    campaign.sendAt = fromWallTime({ year, month, day, hour, minute }, send.timeZone);
  } else if (send.mode === 'follower_local') {
    campaign.sendMode = 'follower_local';
    campaign.localDate = send.date;
    campaign.localTime = send.time;
  } else if (send.mode === 'best_time') {
    campaign.sendMode = 'best_time';
  }
  if (campaign.sendAt && campaign.sendAt.getTime() < deps.clock.now().getTime() - 60_000) {
    throw new ValidationError('send_time_in_past', `The send time ${campaign.sendAt.toISOString()} has passed; choose a later time or send now.`);
  }
  return deps.campaigns.create(campaign);
}
