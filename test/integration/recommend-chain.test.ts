import { createLogger } from '../../adapters/index.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { systemClock, type Recommender } from '../../core/index.js';
import { createRecommendationChain, InterestPopularityRecommender, NewestOnSaleRecommender } from '../../core/recommend/index.js';
import { createRepositories, PgCoursePopularity, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';

describe.each(testTargets())('the one recommender chain on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
  });
  afterAll(async () => database.close());

  const logger = createLogger('silent');

  it('serves every pick once, never an owned or excluded course, each with its stage reason', async () => {
    const repos = createRepositories(database.db);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'chain-1' });
    const onSale = (await repos.courses.list({ page: 1, pageSize: 100, status: 'on_sale' })).items;
    const excluded = onSale.slice(0, 3).map((c) => c.id);
    const { recommender } = buildRecommender({ db: database.db, repos, clock: systemClock, logger });
    const picks = await recommender.recommend(follower.id, { limit: 10, excludeCourseIds: excluded });
    expect(picks).toHaveLength(10);
    expect(new Set(picks.map((p) => p.courseId)).size).toBe(10);
    expect(picks.some((p) => excluded.includes(p.courseId))).toBe(false);
    expect(picks.every((p) => p.reason.code.length > 0 && p.source.length > 0)).toBe(true);
  });

  it('falls through a failing stage to the labelled fallbacks, and fills what a stage cannot', async () => {
    const repos = createRepositories(database.db);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'chain-2' });
    const failures: string[] = [];
    const broken: Recommender = { recommend: () => Promise.reject(new Error('model artifact unreadable')) };
    const onePick: Recommender = {
      recommend: async (followerId, options) => (await new NewestOnSaleRecommender(repos).recommend(followerId, { ...options, limit: 1 })).map((p) => ({ ...p, reason: { code: 'trending', params: {} }, source: 'trending' })),
    };
    const chain = createRecommendationChain({ logger, onStageFailed: (stage) => failures.push(stage) }, [
      { name: 'engine', recommender: broken },
      { name: 'one_pick', recommender: onePick },
      { name: 'interest_popularity', recommender: new InterestPopularityRecommender({ ...repos, popularity: new PgCoursePopularity(database.db, systemClock), clock: systemClock }) },
    ]);
    const picks = await chain.recommend(follower.id, { limit: 4 });
    expect(failures).toEqual(['engine']);
    expect(picks).toHaveLength(4);
    expect(picks[0]!.source).toBe('trending');
    // The later stage was told what the earlier one picked: no course twice.
    expect(new Set(picks.map((p) => p.courseId)).size).toBe(4);
    expect(picks.slice(1).every((p) => p.source === 'popularity' || p.source === 'interests')).toBe(true);
  });

  it('returns only courses that fit a filter, filling the list from every stage', async () => {
    const repos = createRepositories(database.db);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'chain-4' });
    const onSale = (await repos.courses.list({ page: 1, pageSize: 100, status: 'on_sale' })).items;
    const cheap = onSale.map((c) => c.priceMinor).sort((a, b) => a - b)[Math.floor(onSale.length / 3)]!;
    const fitting = onSale.filter((c) => c.priceMinor <= cheap).length;
    const { recommender } = buildRecommender({ db: database.db, repos, clock: systemClock, logger });
    const picks = await recommender.recommend(follower.id, { limit: 3, fits: (course) => course.priceMinor <= cheap });
    expect(fitting).toBeGreaterThanOrEqual(3);
    expect(picks).toHaveLength(3);
    const prices = await Promise.all(picks.map(async (p) => (await repos.courses.findById(p.courseId))!.priceMinor));
    expect(prices.every((price) => price <= cheap)).toBe(true);
    // A filter nothing fits leaves the list empty rather than filling it with courses that do not fit.
    expect(await recommender.recommend(follower.id, { limit: 3, fits: () => false })).toEqual([]);
  });

  it('labels the last stage as the newest on sale, never as popular', async () => {
    const repos = createRepositories(database.db);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'chain-3' });
    const picks = await new NewestOnSaleRecommender(repos).recommend(follower.id, { limit: 3 });
    expect(picks.map((p) => p.reason.code)).toEqual(['newest_on_sale', 'newest_on_sale', 'newest_on_sale']);
    const created = await Promise.all(picks.map(async (p) => (await repos.courses.findById(p.courseId))!.createdAt.getTime()));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
  });
});
