import { fromWallTime, localDayKey, localWeekKey, nextAllowedTime, toWallTime, withOptOutLine } from '../../../core/guards/index.js';

const night = { start: '21:00', end: '09:00' };

describe('nextAllowedTime (quiet hours in the follower zone)', () => {
  it('holds a Shanghai follower at 23:00 local until 09:00 the next morning', () => {
    expect(nextAllowedTime(new Date('2026-11-28T15:00:00Z'), 'Asia/Shanghai', night).toISOString()).toBe('2026-11-29T01:00:00.000Z');
  });

  it('holds until 09:00 the same day after local midnight', () => {
    expect(nextAllowedTime(new Date('2026-11-28T00:59:00Z'), 'Asia/Shanghai', night).toISOString()).toBe('2026-11-28T01:00:00.000Z');
  });

  it('lets a message go at once outside quiet hours, and at exactly the end of the window', () => {
    const now = new Date('2026-11-28T02:00:00Z');
    expect(nextAllowedTime(now, 'Asia/Shanghai', night)).toBe(now);
    const atEnd = new Date('2026-11-28T01:00:00Z');
    expect(nextAllowedTime(atEnd, 'Asia/Shanghai', night)).toBe(atEnd);
  });

  it('decides per follower zone for the same instant', () => {
    const now = new Date('2026-11-28T15:00:00Z');
    expect(nextAllowedTime(now, 'Asia/Shanghai', night).getTime()).toBeGreaterThan(now.getTime());
    expect(nextAllowedTime(now, 'Europe/London', night)).toBe(now);
    expect(nextAllowedTime(now, 'America/New_York', night)).toBe(now);
  });

  it('uses the new offset when DST starts overnight (New York, 8 March 2026)', () => {
    // Saturday 22:00 EST = 03:00Z; the morning is EDT (UTC-4), so 09:00 is 13:00Z, not 14:00Z.
    expect(nextAllowedTime(new Date('2026-03-08T03:00:00Z'), 'America/New_York', night).toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('uses the new offset when DST ends overnight (New York, 1 November 2026)', () => {
    // Saturday 22:00 EDT = 02:00Z; the morning is EST (UTC-5), so 09:00 is 14:00Z.
    expect(nextAllowedTime(new Date('2026-11-01T02:00:00Z'), 'America/New_York', night).toISOString()).toBe('2026-11-01T14:00:00.000Z');
  });

  it('moves a window end that falls in the spring-forward gap to just after the gap', () => {
    // 02:30 does not exist on 8 March 2026 in New York; held until 03:30 EDT (07:30Z).
    const quiet = { start: '22:00', end: '02:30' };
    expect(nextAllowedTime(new Date('2026-03-08T06:00:00Z'), 'America/New_York', quiet).toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('handles a window that does not wrap midnight, and no quiet hours at all', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(nextAllowedTime(new Date('2026-06-01T11:30:00Z'), 'Europe/London', lunch).toISOString()).toBe('2026-06-01T13:00:00.000Z');
    const now = new Date('2026-06-01T22:00:00Z');
    expect(nextAllowedTime(now, 'UTC', { start: '00:00', end: '00:00' })).toBe(now);
  });

  it('rejects a malformed time of day', () => {
    expect(() => nextAllowedTime(new Date(), 'UTC', { start: '25:00', end: '09:00' })).toThrow(/HH:MM/);
  });
});

describe('zoned wall time', () => {
  it('picks the earlier instant for a wall time that happens twice (fall back)', () => {
    expect(fromWallTime({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('round-trips wall times across zones', () => {
    const instant = new Date('2026-07-04T16:45:00Z');
    for (const zone of ['Asia/Shanghai', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata']) {
      expect(fromWallTime(toWallTime(instant, zone), zone).toISOString()).toBe(instant.toISOString());
    }
  });

  it('keys caps by the follower-local day and ISO week', () => {
    const instant = new Date('2026-11-28T17:00:00Z');
    expect(localDayKey(instant, 'Asia/Shanghai')).toBe('2026-11-29');
    expect(localDayKey(instant, 'America/New_York')).toBe('2026-11-28');
    expect(localWeekKey(instant, 'America/New_York')).toBe('2026-W48');
    expect(localWeekKey(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(localWeekKey(new Date('2026-11-29T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-W49');
  });
});

describe('withOptOutLine', () => {
  it('appends the opt-out line in the follower language, once', () => {
    const en = withOptOutLine([{ type: 'text', text: 'New course!' }], 'en');
    expect(en).toEqual([{ type: 'text', text: 'New course!\n\nReply /stop to unsubscribe' }]);
    expect(withOptOutLine(en, 'en')).toEqual(en);
    const zh = withOptOutLine([{ type: 'link', title: '新课', description: '看看', url: 'https://example.com' }], 'zh-CN');
    expect(zh.at(-1)).toEqual({ type: 'text', text: '回复"退订"取消订阅' });
  });
});
