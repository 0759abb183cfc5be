import { sql } from 'drizzle-orm';
import { listMyCourses, noMetrics, systemClock } from '../../../core/index.js';
import { createRepositories, PgLearningRepository, PgUnitOfWork, queryRows, seedDemoAudience, seedDemoCatalogue, seedDemoLearning, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';

describe.each(testTargets())('demo learning seed on %s', (target) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    await seedDemoAudience({ db: database.db, clock: systemClock }, { followers: 60 });
  });
  afterAll(() => database.close());

  it('gives every course lessons once, and learners at different stages, one with a certificate', async () => {
    expect(await seedDemoLearning({ db: database.db, clock: systemClock })).toBeGreaterThan(100);
    expect(await seedDemoLearning({ db: database.db, clock: systemClock })).toBe(0);
    const [empty] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from courses c where not exists (select 1 from course_lessons l where l.course_id = c.id)`);
    expect(empty!.n).toBe(0);
    const repos = createRepositories(database.db);
    const events = { uow: new PgUnitOfWork(database.db), clock: systemClock, metrics: noMetrics };
    const deps = { learning: new PgLearningRepository(database.db), courses: repos.courses, followers: repos.followers, events, clock: systemClock };
    const learners = await queryRows<{ follower_id: string }>(database.db, sql`select distinct follower_id from entitlements where revoked_at is null`);
    const percents = new Set<number>();
    for (const { follower_id } of learners) for (const mine of await listMyCourses(deps, { followerId: follower_id })) percents.add(mine.percent);
    expect(percents).toContain(0);
    expect(percents).toContain(100);
    expect([...percents].some((p) => p > 0 && p < 100)).toBe(true);
    expect((await repos.courses.findBySlug('ielts-7'))!.pacing.kind).toBe('cohort');
  });
});
