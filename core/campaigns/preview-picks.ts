import { parseInput } from '../errors.js';
import type { CourseRepository } from '../ports/repositories.js';
import type { Recommender } from '../ports/recommender.js';
import type { Clock } from '../ports/runtime.js';
import type { AudienceRepository } from './campaign-ports.js';
import { segmentSchema, type CoursePick, type PickKind } from './campaign-types.js';
import { pickCourseFor, type CoursePurchaseRates, type CrossSellOffers, type NextCourseOffers } from './pick-course.js';

/** How often one course was picked in a preview sample. */
export interface PickShare {
  courseId: string;
  titleZh: string;
  titleEn: string;
  /** How it was picked (`recommended` also for a cross-sell that fell back). */
  pick: PickKind;
  followers: number;
  /** Share of the sample, 0-1. */
  share: number;
}

/**
 * Shows what "each follower's own pick" would send: the picks of a random sample of the segment's
 * reachable followers, counted per course, most picked first, and how many would get nothing
 * (they own everything on sale, say: skipped as `no_offer` at send time), or whom nothing is
 * known about to pick by (`no_signal`).
 *
 * @example
 * const { sampled, courses, noOffer } = await previewPicks({ audience, recommender, courses: courseRepository, clock }, { segment: {}, pick: 'recommended', sampleSize: 50 });
 * courses[0]; // { courseId: '…', titleZh: 'Python 入门', titleEn: 'Python basics', pick: 'recommended', followers: 21, share: 0.42 }
 */
export async function previewPicks(
  deps: {
    audience: AudienceRepository; recommender: Recommender; crossSell?: CrossSellOffers; nextInPath?: NextCourseOffers; rates?: CoursePurchaseRates;
    courses: Pick<CourseRepository, 'findById'>; clock: Clock;
  },
  input: { segment: unknown; pick: CoursePick; sampleSize?: number },
): Promise<{ sampled: number; courses: PickShare[]; noOffer: number; noSignal: number }> {
  const segment = parseInput(segmentSchema, input.segment, 'segment');
  const sample = await deps.audience.page(segment, deps.clock.now(), { afterFollowerId: null, limit: Math.min(Math.max(input.sampleSize ?? 50, 1), 200), random: true });
  const counts = new Map<string, { pick: PickKind; followers: number }>();
  let noOffer = 0;
  let noSignal = 0;
  // A few at a time: each pick is a recommender call; the preview should not crowd out the chat path.
  for (let start = 0; start < sample.length; start += 8) {
    const picked = await Promise.all(sample.slice(start, start + 8).map((m) => pickCourseFor(deps, m.followerId, input.pick)));
    for (const p of picked) {
      if ('skipped' in p) {
        if (p.skipped === 'no_signal') noSignal += 1;
        else noOffer += 1;
        continue;
      }
      const key = `${p.courseId}:${p.pick}`;
      const seen = counts.get(key);
      if (seen) seen.followers += 1;
      else counts.set(key, { pick: p.pick, followers: 1 });
    }
  }
  const picks: PickShare[] = [];
  for (const [key, { pick, followers }] of counts) {
    const courseId = key.slice(0, key.indexOf(':'));
    const course = await deps.courses.findById(courseId);
    if (!course) continue;
    picks.push({ courseId, titleZh: course.titleZh, titleEn: course.titleEn, pick, followers, share: sample.length ? followers / sample.length : 0 });
  }
  picks.sort((a, b) => b.followers - a.followers || a.courseId.localeCompare(b.courseId));
  return { sampled: sample.length, courses: picks, noOffer, noSignal };
}
