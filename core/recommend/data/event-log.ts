import { EVENT_KINDS, type EventKind } from '../../events/event-types.js';
import type { ActivityEvent, CourseInteraction } from '../../ports/index.js';

/**
 * Events held as columns, ordered by time (then id): about 25 bytes an event, where a million
 * `CourseInteraction` objects (with their id strings and dates) hold ~300 MB of heap. Followers
 * and courses are numbered in order of first appearance, so the followers of any prefix (the
 * events before a time) are exactly 0 … n − 1, and likewise its courses.
 */
export interface EventLog {
  readonly length: number;
  /** Follower id by number. */
  readonly followerIds: readonly string[];
  /** Course id by number. */
  readonly courseIds: readonly string[];
  readonly id: Float64Array;
  readonly follower: Int32Array;
  /** −1 when the event names no course (only in logs of every activity; course events always name one). */
  readonly course: Int32Array;
  /** Index into EVENT_KINDS. */
  readonly kind: Uint8Array;
  readonly atMs: Float64Array;
}

const KIND_INDEX = new Map<EventKind, number>(EVENT_KINDS.map((k, i) => [k, i]));

/**
 * Collects events one at a time (pages of the event log, any order) into an {@link EventLog}.
 *
 * @example
 * const builder = new EventLogBuilder(); for (const e of page) builder.add(e); const log = builder.build();
 */
export class EventLogBuilder {
  private readonly followers = new Map<string, number>();
  private readonly courses = new Map<string, number>();
  private id = new Float64Array(1024);
  private follower = new Int32Array(1024);
  private course = new Int32Array(1024);
  private kind = new Uint8Array(1024);
  private atMs = new Float64Array(1024);
  private length = 0;

  add(event: ActivityEvent): void {
    if (this.length === this.id.length) this.grow();
    const at = this.length++;
    this.id[at] = event.id;
    this.follower[at] = numbered(this.followers, event.followerId);
    this.course[at] = event.courseId === null ? -1 : numbered(this.courses, event.courseId);
    this.kind[at] = KIND_INDEX.get(event.kind)!;
    this.atMs[at] = event.occurredAt.getTime();
  }

  /** Follower ids in the order their first event was added. */
  followersInOrderAdded(): string[] {
    return [...this.followers.keys()];
  }

  /** Orders the events by time (then id) and renumbers followers and courses by first appearance. */
  build(): EventLog {
    const n = this.length;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => this.atMs[a]! - this.atMs[b]! || this.id[a]! - this.id[b]!);
    const followerNumbers = firstAppearance(order, this.follower, this.followers.size);
    const courseNumbers = firstAppearance(order, this.course, this.courses.size);
    const log = {
      length: n,
      followerIds: renumbered([...this.followers.keys()], followerNumbers),
      courseIds: renumbered([...this.courses.keys()], courseNumbers),
      id: new Float64Array(n), follower: new Int32Array(n), course: new Int32Array(n), kind: new Uint8Array(n), atMs: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const from = order[i]!;
      log.id[i] = this.id[from]!;
      log.follower[i] = followerNumbers[this.follower[from]!]!;
      log.course[i] = this.course[from]! < 0 ? -1 : courseNumbers[this.course[from]!]!;
      log.kind[i] = this.kind[from]!;
      log.atMs[i] = this.atMs[from]!;
    }
    return log;
  }

  private grow(): void {
    const size = this.id.length * 2;
    const grown = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T) => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.id = grown(this.id, (s) => new Float64Array(s));
    this.follower = grown(this.follower, (s) => new Int32Array(s));
    this.course = grown(this.course, (s) => new Int32Array(s));
    this.kind = grown(this.kind, (s) => new Uint8Array(s));
    this.atMs = grown(this.atMs, (s) => new Float64Array(s));
  }
}

/**
 * The columns of events given as objects (tests, the offline evaluation).
 *
 * @example
 * const log = eventLogOf([{ id: 1, followerId: 'f1', courseId: 'c1', kind: 'view', occurredAt: new Date() }]);
 */
export function eventLogOf(events: Iterable<ActivityEvent>): EventLog {
  const builder = new EventLogBuilder();
  for (const e of events) builder.add(e);
  return builder.build();
}

/**
 * The events strictly before `ms`: a prefix, so views of the same columns, no copy.
 *
 * @example
 * const before = eventsBefore(log, cutoff.getTime());
 */
export function eventsBefore(log: EventLog, ms: number): EventLog {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log.atMs[mid]! < ms) lo = mid + 1;
    else hi = mid;
  }
  let followers = 0;
  let courses = 0;
  for (let i = 0; i < lo; i++) {
    followers = Math.max(followers, log.follower[i]! + 1);
    courses = Math.max(courses, log.course[i]! + 1);
  }
  return {
    length: lo,
    followerIds: log.followerIds.slice(0, followers),
    courseIds: log.courseIds.slice(0, courses),
    id: log.id.subarray(0, lo), follower: log.follower.subarray(0, lo), course: log.course.subarray(0, lo), kind: log.kind.subarray(0, lo), atMs: log.atMs.subarray(0, lo),
  };
}

/** The kind of event `i`. */
export function kindAt(log: EventLog, i: number): EventKind {
  return EVENT_KINDS[log.kind[i]!]!;
}

/**
 * Event `i` as an object, for code that reads a few followers' events at a time.
 *
 * @example
 * const first = interactionAt(log, 0); // { id, followerId, courseId, kind, occurredAt }
 */
export function interactionAt(log: EventLog, i: number): CourseInteraction {
  return { id: log.id[i]!, followerId: log.followerIds[log.follower[i]!]!, courseId: log.courseIds[log.course[i]!]!, kind: kindAt(log, i), occurredAt: new Date(log.atMs[i]!) };
}

/** Each follower's events: follower f's are `order[offsets[f] … offsets[f + 1])`, oldest first. */
export interface FollowerEvents {
  offsets: Int32Array;
  order: Int32Array;
}

/**
 * Groups the log's events by follower (a counting sort, so each follower's stay in time order).
 *
 * @example
 * const { offsets, order } = eventsByFollower(log); // follower 0's first event: order[offsets[0]]
 */
export function eventsByFollower(log: EventLog): FollowerEvents {
  const offsets = new Int32Array(log.followerIds.length + 1);
  for (let i = 0; i < log.length; i++) offsets[log.follower[i]! + 1]! += 1;
  for (let f = 0; f < log.followerIds.length; f++) offsets[f + 1]! += offsets[f]!;
  const cursor = offsets.slice(0, log.followerIds.length);
  const order = new Int32Array(log.length);
  for (let i = 0; i < log.length; i++) order[cursor[log.follower[i]!]!++] = i;
  return { offsets, order };
}

/**
 * One follower's events as objects, oldest first.
 *
 * @example
 * const list = followerInteractions(log, eventsByFollower(log), 0);
 */
export function followerInteractions(log: EventLog, groups: FollowerEvents, follower: number): CourseInteraction[] {
  const out: CourseInteraction[] = [];
  for (let p = groups.offsets[follower]!; p < groups.offsets[follower + 1]!; p++) out.push(interactionAt(log, groups.order[p]!));
  return out;
}

function numbered(numbers: Map<string, number>, key: string): number {
  let n = numbers.get(key);
  if (n === undefined) {
    n = numbers.size;
    numbers.set(key, n);
  }
  return n;
}

/** New number of each old number, in order of first appearance along `order`. */
function firstAppearance(order: Int32Array, values: Int32Array, count: number): Int32Array {
  const renumber = new Int32Array(count).fill(-1);
  let next = 0;
  for (let i = 0; i < order.length; i++) {
    const v = values[order[i]!]!;
    if (v >= 0 && renumber[v] === -1) renumber[v] = next++;
  }
  return renumber;
}

function renumbered(ids: readonly string[], numbers: Int32Array): string[] {
  const out = new Array<string>(ids.length);
  ids.forEach((id, old) => (out[numbers[old]!] = id));
  return out;
}
