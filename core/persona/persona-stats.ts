import type { Currency } from '../catalog/course.js';
import type { EventKind } from '../events/event-types.js';
import type { FollowerScores } from '../followers/propensity.js';

/** Aggregates of one follower's events, computed by the database so a long history stays cheap. */
export interface PersonaStats {
  /** The start of the hour of the first event. */
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  eventCount: number;
  /** Events other than follow/unfollow within LIFECYCLE_THRESHOLDS.recentDays, counted by their hour (as `firstSeenAt`). */
  recentInteractions: number;
  eventsLast30d: number;
  /** Per kind and course: how many, and the sum of their time-decayed weights (1 for an event now). */
  byKindAndCourse: Array<{ kind: EventKind; courseId: string | null; count: number; decayed: number }>;
  /** Tags and prices of the courses named in `byKindAndCourse`. */
  courses: Array<{ id: string; tags: string[]; priceMinor: number; currency: Currency }>;
  /** Message terms with their time-decayed counts. */
  messageTerms: Array<{ term: string; decayed: number }>;
  /** Events per hour of day, 0–23, in the follower's time zone. */
  hourHistogram: number[];
  /** Courses finished (every lesson completed) and the last lesson opened, completed or check-in. */
  learning: { finishedCourses: number; lastLessonAt: Date | null };
  /** Paid amounts minus refunds, per currency. */
  spent: Array<{ currency: Currency; amountMinor: number }>;
  /** Purchase propensity and churn risk from the last scoring run; null (or absent) when not scored. */
  scores?: FollowerScores | null;
}
