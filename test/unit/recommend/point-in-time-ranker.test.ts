import type { Course, CourseInteraction, MessageTerms } from '../../../core/index.js';
import {
  eventLogOf, featureContributions, hydrateModel, indexCatalogue, personaAt, pointInTimeRankerRows, RANKER_FEATURES, rankForFollower, seededRandom, trainRecommenderArtifact,
  type RankerWeights,
} from '../../../core/recommend/index.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function course(id: string, tags: string[], priceMinor = 9_900): Course {
  return {
    id, slug: id, titleZh: id, titleEn: id, descriptionZh: '', descriptionEn: `${tags.join(' ')} course`, tags, priceMinor, currency: 'CNY', priceStars: null,
    status: 'on_sale', creatorId: null, coverUrl: null, teacherName: 'T', pacing: { kind: 'self_paced' }, telegramChatId: null, nextCourseId: null,
    createdAt: new Date(T0 - 400 * DAY), updatedAt: new Date(T0 - 400 * DAY),
  };
}

let nextId = 1;
const event = (followerId: string, courseId: string, kind: CourseInteraction['kind'], atMs: number): CourseInteraction => ({ id: nextId++, followerId, courseId, kind, occurredAt: new Date(atMs) });

/** Two taste groups over 40 courses: followers of group g take courses of group g, in time order. */
function synthetic(followers: number, days: number): { events: CourseInteraction[]; courses: Course[] } {
  const courses = Array.from({ length: 40 }, (_, i) => course(`c${i}`, [i < 20 ? 'python' : 'photography']));
  const random = seededRandom(3);
  const events: CourseInteraction[] = [];
  for (let f = 0; f < followers; f++) {
    const group = f % 2;
    const start = T0 + random() * days * DAY;
    for (let n = 0; n < 8; n++) {
      const c = group * 20 + Math.floor(random() * 20);
      const at = start + n * 3_600_000;
      events.push(event(`f${f}`, `c${c}`, 'view', at), event(`f${f}`, `c${c}`, 'click', at + 60_000));
    }
  }
  return { events, courses };
}

describe('point-in-time persona', () => {
  it('sees onboarding words and course events before the moment only', () => {
    const courses = new Map([course('py', ['python']), course('lux', ['photography'], 90_000)].map((c) => [c.id, c]));
    const events = [event('f', 'lux', 'purchase', T0 + 2 * DAY)];
    const messages: MessageTerms[] = [{ id: 1, followerId: 'f', terms: ['python'], occurredAt: new Date(T0) }];
    const before = personaAt('f', events, messages, courses, new Date(T0 + DAY));
    expect(before.interests.map((i) => i.tag)).toEqual(['python']);
    expect(before.priceBand).toBe('unknown');
    const after = personaAt('f', events, messages, courses, new Date(T0 + 3 * DAY));
    expect(after.interests[0]!.tag).toBe('photography');
    expect(after.priceBand).toBe('premium');
    // At the very moment of the purchase it is not yet known.
    expect(personaAt('f', events, messages, courses, new Date(T0 + 2 * DAY)).priceBand).toBe('unknown');
  });
});

describe('point-in-time ranker rows', () => {
  it('builds features from the past and labels from what the follower took next', async () => {
    const { events, courses } = synthetic(60, 30);
    const { artifact } = await trainRecommenderArtifact({ events: eventLogOf(events.filter((e) => e.occurredAt.getTime() < T0 + 20 * DAY)), messages: [], courses, now: new Date(T0 + 20 * DAY) }, { ranker: 'blend' });
    const model = hydrateModel(artifact);
    const catalogue = indexCatalogue(courses);
    // One newcomer whose only past is the onboarding word "python"; at the moment they click c1, then c2 an hour later.
    const newcomer = [event('n', 'c1', 'click', T0 + 25 * DAY), event('n', 'c2', 'click', T0 + 25 * DAY + 3_600_000), event('n', 'c30', 'click', T0 + 60 * DAY)];
    const messages: MessageTerms[] = [{ id: 1, followerId: 'n', terms: ['python'], occurredAt: new Date(T0 + 24 * DAY) }];
    const options = { fromMs: T0 + 25 * DAY, toMs: T0 + 25 * DAY + 1, horizonMs: 14 * DAY, momentsPerFollower: 1, negativesPerMoment: 100, random: seededRandom(1) };
    const { rows, labels, moments } = pointInTimeRankerRows(model, catalogue, eventLogOf(newcomer), messages, options);
    expect(moments).toBe(1);
    const at = (name: (typeof RANKER_FEATURES)[number]) => RANKER_FEATURES.indexOf(name);
    // Nothing before the moment but the word: no collaborative signal, yet the stated interest shows.
    expect(rows.every((x) => x[at('item_cf')] === 0 && x[at('ease')] === 0 && x[at('recency')] === 0)).toBe(true);
    expect(rows.some((x) => x[at('interests')]! > 0)).toBe(true);
    // c1 and c2 (within 14 days) are positives; c30 (35 days later) is not.
    expect(labels.filter((l) => l === 1)).toHaveLength(2);
    expect(rows.length).toBe(labels.length);
  });

  it('serves a tuned blend or the trained ranker only when it ranks the later window clearly better than every simpler scorer, and says which', async () => {
    const { events, courses } = synthetic(400, 60);
    const { artifact } = await trainRecommenderArtifact({ events: eventLogOf(events), messages: [], courses, now: new Date(T0 + 61 * DAY) }, { epochs: 10 });
    const choice = artifact.rankerChoice!;
    expect(choice.rows.train).toBeGreaterThan(50);
    expect(choice.rows.validation).toBeGreaterThan(50);
    const { trained, blend, tunedBlend } = choice.validationNdcg;
    expect(trained).not.toBeNull();
    // From the simplest up: a scorer replaces the simpler ones only by beating each of them by more than two standard errors.
    const bySimplicity = ['untrained_blend', 'tuned_blend', 'trained'] as const;
    const ndcgOf = { untrained_blend: blend!, tuned_blend: tunedBlend!, trained: trained! };
    for (const simpler of bySimplicity.slice(0, bySimplicity.indexOf(choice.kept))) expect(ndcgOf[choice.kept]).toBeGreaterThan(ndcgOf[simpler]);
    expect(choice.why).toContain('by more than 2 standard errors');
    // The synthetic followers follow a pattern the hand-set prior weighs poorly, so something learned wins clearly here.
    expect(choice.kept).not.toBe('untrained_blend');
    expect(artifact.ranker.trainedOn > 0).toBe(choice.kept === 'trained');
    expect(choice.why).toContain(`trained ranker ${trained!.toFixed(4)}, blend tuned on the training window ${tunedBlend!.toFixed(4)}, untrained blend ${blend!.toFixed(4)}`);
    // The diversity served was chosen on the same window, within its budget of pure relevance.
    const byLambda = choice.mmrByLambda!;
    expect(byLambda[String(artifact.mmrLambda)]!).toBeGreaterThanOrEqual(byLambda['1']! * 0.98);

    const few = await trainRecommenderArtifact({ events: eventLogOf(events.slice(0, 20)), messages: [], courses, now: new Date(T0 + 61 * DAY) }, {});
    expect(few.artifact.rankerChoice).toMatchObject({ kept: 'untrained_blend', why: expect.stringContaining('too few point-in-time rows') });
  });
});

describe('reasons come from what the ranker weighed', () => {
  it('explains a pick by the feature that added most to its score', async () => {
    const { events, courses } = synthetic(60, 30);
    const { artifact } = await trainRecommenderArtifact({ events: eventLogOf(events), messages: [], courses, now: new Date(T0 + 31 * DAY) }, { ranker: 'blend' });
    const catalogue = indexCatalogue(courses);
    const history = [event('me', 'c3', 'click', T0 + 30 * DAY)];
    const signals = { history, interests: [{ tag: 'photography', weight: 1 }], priceBand: 'unknown' as const, now: new Date(T0 + 31 * DAY), hour: 10 };
    const only = (name: (typeof RANKER_FEATURES)[number]): RankerWeights => ({
      hidden: 1, w1: RANKER_FEATURES.map((f) => (f === name ? 5 : 0.01)), b1: [0], w2: [1], b2: -1, trainedOn: 1, logLoss: null, auc: null,
    });
    const byInterest = rankForFollower(hydrateModel({ ...artifact, ranker: only('interests') }), catalogue, signals, new Set(), 3);
    expect(byInterest.map((p) => p.reason)).toEqual(Array(3).fill({ code: 'matches_interest', params: { tag: 'photography' } }));
    const byLiked = rankForFollower(hydrateModel({ ...artifact, ranker: only('item_cf') }), catalogue, signals, new Set(), 3);
    expect(byLiked.map((p) => p.reason)).toEqual(Array(3).fill({ code: 'because_you_liked', params: { courseId: 'c3' } }));
    const x = RANKER_FEATURES.map((f) => (f === 'item_cf' ? 1 : 0));
    expect(featureContributions(only('item_cf'), x)[RANKER_FEATURES.indexOf('item_cf')]).toBeCloseTo(5);
  });
});
