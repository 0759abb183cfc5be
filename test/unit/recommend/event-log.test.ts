import type { ActivityEvent } from '../../../core/index.js';
import { eventLogOf } from '../../../core/recommend/index.js';
import { eventsBefore, eventsByFollower, followerInteractions, interactionAt } from '../../../core/recommend/data/event-log.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute));
const event = (id: number, followerId: string, courseId: string | null, minute: number): ActivityEvent => ({ id, followerId, courseId, kind: courseId ? 'click' : 'message', occurredAt: at(minute) });

describe('the event log held as columns', () => {
  // Given in id order; by time: 4 (b), 2 (a), 1 (a, tie at minute 5 broken by id), 3 (c), 5 (a).
  const given = [event(1, 'a', 'x', 5), event(2, 'a', 'y', 5), event(3, 'c', 'y', 7), event(4, 'b', 'z', 1), event(5, 'a', null, 9)];
  given[1]!.occurredAt = at(3);
  const log = eventLogOf(given);

  it('orders events by time then id and numbers followers and courses by first appearance', () => {
    expect(Array.from({ length: log.length }, (_, i) => interactionAt(log, i).id)).toEqual([4, 2, 1, 3, 5]);
    expect(log.followerIds).toEqual(['b', 'a', 'c']);
    expect(log.courseIds).toEqual(['z', 'y', 'x']);
    expect(interactionAt(log, 1)).toEqual(given[1]);
    expect(log.course[4]).toBe(-1);
  });

  it('takes the events before a time as a prefix whose followers and courses are the first ones', () => {
    const before = eventsBefore(log, at(6).getTime());
    expect(before.length).toBe(3);
    expect(before.followerIds).toEqual(['b', 'a']);
    expect(before.courseIds).toEqual(['z', 'y', 'x']);
    expect(eventsBefore(log, at(0).getTime()).length).toBe(0);
  });

  it("groups each follower's events, oldest first", () => {
    const groups = eventsByFollower(log);
    expect(followerInteractions(log, groups, 1).map((e) => e.id)).toEqual([2, 1, 5]);
    expect(followerInteractions(log, groups, 2).map((e) => e.id)).toEqual([3]);
  });
});
