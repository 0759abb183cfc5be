import { courseInputSchema, type CourseQuery, type CourseRepository } from '../../core/index.js';
import { createRecommender } from '../../core/recommend/index.js';
import { createRepositories, PgModelArtifactRepository, PgServingSignals, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TestClock } from '../support/http.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The real course repository, whose list() can be held until the test lets it answer. */
class HoldableCourses implements Pick<CourseRepository, 'list'> {
  calls = 0;
  /** Resolves when list() is next called while held. */
  held: Promise<void> = Promise.resolve();
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  private reached: (() => void) | null = null;
  constructor(private readonly courses: CourseRepository) {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
    this.held = new Promise((resolve) => (this.reached = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  async list(query: CourseQuery) {
    this.calls++;
    this.reached?.();
    await this.gate;
    return this.courses.list(query);
  }
}

describe.each(testTargets())('recommender catalogue refresh on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(async () => database.close());

  it('serves the loaded catalogue while a refresh runs, and the new one once it is done', async () => {
    const repos = createRepositories(database.db);
    const course = (slug: string) => courseInputSchema.parse({ slug, titleZh: `课程 ${slug}`, titleEn: `Course ${slug}`, tags: ['python'], priceMinor: 9_900, status: 'on_sale' });
    await repos.courses.insertMissing([course('refresh-old')]);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'refresh-1' });
    const clock = new TestClock(new Date('2026-02-01T00:00:00Z'));
    const courses = new HoldableCourses(repos.courses);
    const recommender = createRecommender(
      { courses, signals: new PgServingSignals(database.db), artifacts: new PgModelArtifactRepository(database.db), clock, logger: silent },
      { refreshMs: 60_000 },
    );
    const slugsOf = async () => {
      const picks = await recommender.recommend(follower.id, { limit: 5 });
      return picks.map((p) => p.courses?.[0]?.slug);
    };

    // The very first load is waited for.
    expect(await slugsOf()).toEqual(['refresh-old']);
    expect(courses.calls).toBe(1);

    // A new course goes on sale; once the catalogue is older than refreshMs, a request starts a
    // refresh and is answered from the loaded catalogue without waiting for it: list() is held
    // until after the answer, so a request that waited would never be answered.
    await repos.courses.insertMissing([course('refresh-new')]);
    clock.advance(60_001);
    courses.hold();
    expect(await slugsOf()).toEqual(['refresh-old']);
    // The refresh that request started reaches list() and waits there.
    await courses.held;
    expect(courses.calls).toBe(2);
    // Requests during the refresh join it rather than starting another.
    expect(await slugsOf()).toEqual(['refresh-old']);
    expect(courses.calls).toBe(2);

    courses.release();
    await recommender.refresh();
    expect((await slugsOf()).sort()).toEqual(['refresh-new', 'refresh-old']);
    expect(courses.calls).toBe(2);
  });

  it('keeps serving the loaded catalogue when a background refresh fails', async () => {
    const repos = createRepositories(database.db);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'refresh-2' });
    const clock = new TestClock(new Date('2026-02-01T00:00:00Z'));
    const errors: string[] = [];
    let isDown = false;
    const courses: Pick<CourseRepository, 'list'> = {
      list: (query) => (isDown ? Promise.reject(new Error('database unreachable')) : repos.courses.list(query)),
    };
    const logger = { ...silent, error: (_: unknown, message: string) => errors.push(message) };
    const recommender = createRecommender({ courses, signals: new PgServingSignals(database.db), artifacts: new PgModelArtifactRepository(database.db), clock, logger }, { refreshMs: 60_000 });
    const before = (await recommender.recommend(follower.id, { limit: 5 })).map((p) => p.courseId);
    expect(before.length).toBeGreaterThan(0);
    isDown = true;
    clock.advance(60_001);
    expect((await recommender.recommend(follower.id, { limit: 5 })).map((p) => p.courseId)).toEqual(before);
    await expect(recommender.refresh()).rejects.toThrow('database unreachable');
    expect(errors).toEqual(['recommender refresh failed; serving the catalogue and model loaded before']);
  });
});
