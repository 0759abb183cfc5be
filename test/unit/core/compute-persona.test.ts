import { computePersona, type PersonaStats } from '../../../core/index.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

function stats(overrides: Partial<PersonaStats> = {}): PersonaStats {
  return {
    firstSeenAt: daysAgo(60),
    lastSeenAt: daysAgo(1),
    eventCount: 10,
    recentInteractions: 5,
    eventsLast30d: 10,
    byKindAndCourse: [],
    courses: [],
    messageTerms: [],
    hourHistogram: new Array(24).fill(0),
    spent: [],
    learning: { finishedCourses: 0, lastLessonAt: null },
    ...overrides,
  };
}

describe('computePersona', () => {
  it('weights interests by event kind and message terms, strongest first and scaled to 1', () => {
    const persona = computePersona('f1', 'Asia/Shanghai', stats({
      byKindAndCourse: [
        { kind: 'purchase', courseId: 'photo', count: 1, decayed: 1 },
        { kind: 'view', courseId: 'py', count: 2, decayed: 2 },
      ],
      courses: [
        { id: 'photo', tags: ['photography'], priceMinor: 12_900, currency: 'CNY' },
        { id: 'py', tags: ['python', 'career'], priceMinor: 19_900, currency: 'CNY' },
      ],
      messageTerms: [{ term: '理财', decayed: 1 }, { term: 'hello', decayed: 5 }],
    }), NOW);
    expect(persona.interests.map((i) => i.tag)).toEqual(['photography', 'python', 'career', 'personal-finance']);
    expect(persona.interests[0]).toEqual({ tag: 'photography', weight: 1 });
    expect(persona.interests[1]!.weight).toBeCloseTo(2 / 6, 3);
    expect(persona.interests[3]!.weight).toBeCloseTo(1.5 / 6, 3);
  });

  it('lets a refund cancel the interest a purchase created', () => {
    const persona = computePersona('f1', 'UTC', stats({
      byKindAndCourse: [
        { kind: 'purchase', courseId: 'c', count: 1, decayed: 1 },
        { kind: 'refund', courseId: 'c', count: 1, decayed: 1 },
      ],
      courses: [{ id: 'c', tags: ['yoga'], priceMinor: 100, currency: 'CNY' }],
    }), NOW);
    expect(persona.interests).toEqual([]);
  });

  it.each([
    ['new: no events', { eventCount: 0, firstSeenAt: null, lastSeenAt: null }, 'new'],
    ['new: joined 3 days ago, one interaction', { firstSeenAt: daysAgo(3), recentInteractions: 1 }, 'new'],
    ['dormant: nothing for 30 days', { lastSeenAt: daysAgo(30) }, 'dormant'],
    ['at-risk: nothing for 20 days', { lastSeenAt: daysAgo(20) }, 'at-risk'],
    ['at-risk: old follower, quiet lately', { recentInteractions: 1 }, 'at-risk'],
    ['engaged: 3 interactions in 14 days', { recentInteractions: 3 }, 'engaged'],
  ] as const)('lifecycle %s', (_name, overrides, expected) => {
    expect(computePersona('f', 'UTC', stats(overrides), NOW).lifecycle).toBe(expected);
  });

  it('calls a recent buyer a customer and scores RFM', () => {
    const persona = computePersona('f', 'UTC', stats({
      byKindAndCourse: [{ kind: 'purchase', courseId: 'c', count: 1, decayed: 1 }],
      courses: [{ id: 'c', tags: ['ai'], priceMinor: 69_900, currency: 'CNY' }],
      spent: [{ currency: 'CNY', amountMinor: 69_900 }],
      eventsLast30d: 25,
      lastSeenAt: daysAgo(0.5),
    }), NOW);
    expect(persona.lifecycle).toBe('customer');
    expect(persona.rfm).toMatchObject({ r: 5, f: 4, m: 4, recencyDays: 0.5 });
    expect(persona.priceBand).toBe('premium');
  });

  it('finds the peak hour and the price band from what was looked at', () => {
    const hours = new Array(24).fill(0);
    hours[21] = 7;
    hours[8] = 2;
    const persona = computePersona('f', 'Asia/Shanghai', stats({
      hourHistogram: hours,
      byKindAndCourse: [{ kind: 'view', courseId: 'cheap', count: 3, decayed: 3 }],
      courses: [{ id: 'cheap', tags: ['cooking'], priceMinor: 5_900, currency: 'CNY' }],
    }), NOW);
    expect(persona.peakHour).toBe(21);
    expect(persona.activeHours).toHaveLength(24);
    expect(persona.priceBand).toBe('budget');
  });
});
