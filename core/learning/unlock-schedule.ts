import type { CoursePacing } from '../catalog/course.js';
import type { Lesson } from './course-content.js';

export const DAY_MS = 86_400_000;

/**
 * When each lesson opens for a learner enrolled at `enrolledAt`, in course order: all at once
 * (`self_paced`); lesson N at enrolledAt + (N-1)·everyDays days (`drip`); all at the cohort's
 * start (`cohort`). Free-preview lessons are open from the start whatever the pacing.
 *
 * @example
 * unlockTimes({ kind: 'drip', everyDays: 2 }, lessons, paidAt)[2]; // paidAt + 4 days
 */
export function unlockTimes(pacing: CoursePacing, lessons: readonly Pick<Lesson, 'isFreePreview'>[], enrolledAt: Date): Date[] {
  return lessons.map((lesson, index) => {
    if (lesson.isFreePreview) return enrolledAt;
    switch (pacing.kind) {
      case 'self_paced':
        return enrolledAt;
      case 'drip':
        return new Date(enrolledAt.getTime() + index * pacing.everyDays * DAY_MS);
      case 'cohort':
        return pacing.startsAt;
    }
  });
}
