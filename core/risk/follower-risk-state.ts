import type { FeatureVector } from './anomaly-model.js';
import type { RiskReason, RiskSignal } from './risk-types.js';
import { TimeWindow } from './sliding-window.js';

/** One set reused by every count (the scorer is synchronous): no allocation per event. */
const scratch = new Set<string>();

/** Courses viewed or clicked, newest last, capped: "how many different courses within W". */
class CourseWindow {
  private readonly items: Array<{ atMs: number; courseId: string }> = [];

  constructor(private readonly cap = 64) {}

  add(atMs: number, courseId: string, windowMs: number): number {
    this.items.push({ atMs, courseId });
    if (this.items.length > this.cap) this.items.shift();
    return Math.max(this.distinct(atMs - windowMs, atMs), this.distinct(atMs, atMs + windowMs));
  }

  private distinct(fromMs: number, toMs: number): number {
    scratch.clear();
    for (const item of this.items) if (item.atMs >= fromMs && item.atMs <= toMs) scratch.add(item.courseId);
    return scratch.size;
  }
}

/**
 * What the scorer remembers of one follower: windows of recent activity, the peaks seen (the
 * anomaly features), and the reasons currently raised. In memory only.
 */
export class FollowerRiskState {
  readonly events = new TimeWindow();
  readonly messages = new TimeWindow();
  readonly refunds = new TimeWindow(64);
  readonly paymentFailures = new TimeWindow(64);
  readonly courses = new CourseWindow();
  /** Chat turns answered, for the throttle (wall-clock times). */
  readonly turns = new TimeWindow(64);
  /** Until when the chat is throttled, and whether the notice went. */
  throttledUntilMs = 0;
  hasNoticeGone = false;
  /** The earliest time known for this follower: created, or their oldest event. */
  firstSeenMs = Number.POSITIVE_INFINITY;
  lastActivityMs = 0;
  readonly features: FeatureVector = {
    peakEventsPerMinute: 0, peakCoursesPerMinute: 0, peakMessagesPerMinute: 0, refunds: 0, paymentFailures: 0, linkedAccounts: 0, duplicateTextAccounts: 0,
  };
  /** Raised reasons by signal; a signal once raised stays until an admin reviews. */
  readonly reasons = new Map<RiskSignal, RiskReason>();

  raise(reason: RiskReason): boolean {
    const had = this.reasons.has(reason.code);
    this.reasons.set(reason.code, reason);
    return !had;
  }

  peak(feature: keyof FeatureVector, value: number): void {
    if (value > this.features[feature]) this.features[feature] = value;
  }
}
