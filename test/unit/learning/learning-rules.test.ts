import { randomUUID } from 'node:crypto';
import { channelPricesSchema, computeStreak, parseCheckIn, priceFieldsOf, signLessonLink, toMajorUnits, toMinorUnits, unlockTimes, verifyLessonLink } from '../../../core/index.js';

const DAY = 86_400_000;

describe('prices entered in major units', () => {
  it('stores yuan as fen and Stars as Stars (XTR has no minor unit)', () => {
    expect(toMinorUnits('49.90', 'CNY')).toEqual({ ok: true, amountMinor: 4990 });
    expect(toMinorUnits(49.9, 'CNY')).toEqual({ ok: true, amountMinor: 4990 });
    expect(toMinorUnits('0.29', 'CNY')).toEqual({ ok: true, amountMinor: 29 });
    expect(toMinorUnits(49, 'XTR')).toEqual({ ok: true, amountMinor: 49 });
    expect(toMinorUnits('49.0', 'XTR')).toEqual({ ok: true, amountMinor: 49 });
    expect(toMinorUnits('4.5', 'XTR')).toMatchObject({ ok: false });
    expect(toMinorUnits('1.999', 'CNY')).toMatchObject({ ok: false });
    expect(toMinorUnits('-1', 'CNY')).toMatchObject({ ok: false });
    expect(toMajorUnits({ amountMinor: 4990, currency: 'CNY' })).toBe('49.90');
    expect(toMajorUnits({ amountMinor: 49, currency: 'XTR' })).toBe('49');
  });

  it('parses per-channel prices into course fields, with the failing field named', () => {
    const parsed = channelPricesSchema.parse({ wechat: { amount: '49.90', currency: 'CNY' }, telegram: { amount: 49, currency: 'XTR' } });
    expect(priceFieldsOf(parsed)).toEqual({ priceMinor: 4990, currency: 'CNY', priceStars: 49 });
    const bad = channelPricesSchema.safeParse({ telegram: { amount: '4.5', currency: 'XTR' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['telegram', 'amount']);
  });
});

describe('unlock schedule', () => {
  const lessons = [{ isFreePreview: false }, { isFreePreview: false }, { isFreePreview: true }, { isFreePreview: false }];
  const paidAt = new Date('2026-03-01T10:00:00Z');

  it('drips lesson N at (N-1)·every days after purchase; free previews are open at once', () => {
    expect(unlockTimes({ kind: 'drip', everyDays: 2 }, lessons, paidAt).map((d) => (d.getTime() - paidAt.getTime()) / DAY)).toEqual([0, 2, 0, 6]);
  });

  it('opens a cohort together at its start', () => {
    const startsAt = new Date('2026-04-01T01:00:00Z');
    expect(unlockTimes({ kind: 'cohort', startsAt, enrolmentClosesAt: null }, lessons, paidAt)).toEqual([startsAt, startsAt, paidAt, startsAt]);
  });
});

describe('check-ins and streaks', () => {
  it('reads 打卡 in Chinese and English', () => {
    expect(parseCheckIn('打卡 第3天')).toEqual({ day: 3 });
    expect(parseCheckIn('第十二天打卡')).toEqual({ day: 12 });
    expect(parseCheckIn('打卡')).toEqual({ day: null });
    expect(parseCheckIn('Check-in day 21')).toEqual({ day: 21 });
    expect(parseCheckIn('我想打卡一下课程推荐')).toBeNull();
  });

  it('counts consecutive days in the learner’s own zone', () => {
    // 23:30 and 00:30 Shanghai time are two days there, but one UTC day.
    const at = (iso: string) => new Date(iso);
    const instants = [at('2026-03-01T15:30:00Z'), at('2026-03-01T16:30:00Z'), at('2026-03-03T02:00:00Z'), at('2026-03-05T02:00:00Z')];
    expect(computeStreak(instants, 'Asia/Shanghai', at('2026-03-05T12:00:00Z'))).toMatchObject({ currentDays: 1, longestDays: 3 });
    expect(computeStreak(instants, 'UTC', at('2026-03-05T12:00:00Z'))).toMatchObject({ currentDays: 1, longestDays: 1 });
    expect(computeStreak(instants, 'Asia/Shanghai', at('2026-03-07T12:00:00Z')).currentDays).toBe(0);
  });
});

describe('signed lesson links', () => {
  const secret = 'lesson-link-secret-0123456789abcdef';
  const follower = randomUUID();
  const lesson = randomUUID();
  const now = new Date('2026-03-01T00:00:00Z');
  const token = signLessonLink(follower, lesson, new Date(now.getTime() + DAY), secret);

  it('opens for its follower until it expires', () => {
    expect(verifyLessonLink(token, secret, now, follower)).toMatchObject({ ok: true, followerId: follower, lessonId: lesson });
    expect(verifyLessonLink(token, secret, new Date(now.getTime() + DAY))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a forwarded link, another secret and a tampered token', () => {
    expect(verifyLessonLink(token, secret, now, randomUUID())).toMatchObject({ ok: false, reason: 'forwarded' });
    expect(verifyLessonLink(token, 'another-secret-0123456789abcdef', now)).toMatchObject({ ok: false, reason: 'bad_signature' });
    const other = randomUUID().replaceAll('-', '');
    expect(verifyLessonLink(other + token.slice(32), secret, now)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(verifyLessonLink('nope', secret, now)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
