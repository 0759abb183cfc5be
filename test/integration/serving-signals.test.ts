import { randomUUID } from 'node:crypto';
import { courseInputSchema, type NewEvent } from '../../core/index.js';
import { createRepositories, PgServingSignals, queryRows, type Database } from '../../models/index.js';
import { sql } from 'drizzle-orm';
import { openTestDatabase, testTargets } from '../support/database.js';

type QueryClient = { query: (...args: unknown[]) => Promise<unknown> };

/** Counts the statements the database client is asked to run while `work` runs (the real client, observed). */
async function countStatements<T>(database: Database, work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const client = (database.db as unknown as { $client: QueryClient }).$client;
  const query = client.query;
  let statements = 0;
  client.query = function counted(this: unknown, ...args: unknown[]) {
    statements++;
    return query.apply(this, args);
  };
  try {
    return { result: await work(), statements };
  } finally {
    client.query = query;
  }
}

describe.each(testTargets())('serving signals in one round trip on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(async () => database.close());

  it('reads the follower, owned courses, newest-first history and the persona inputs in one statement', async () => {
    const repos = createRepositories(database.db);
    await repos.courses.insertMissing(['python', 'photography', 'finance'].map((tag, i) => courseInputSchema.parse({
      slug: `signals-${i}`, titleZh: `课程${i}`, titleEn: `Course ${i}`, tags: [tag], priceMinor: 9_900 * (i + 1), status: 'on_sale',
    })));
    const ids = (await repos.courses.list({ page: 1, pageSize: 10 })).items.filter((c) => c.slug.startsWith('signals-')).sort((a, b) => a.slug.localeCompare(b.slug)).map((c) => c.id);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'signals-1' });
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 10, minutes));
    const event = (courseId: string | null, kind: NewEvent['kind'], minutes: number, terms: string[] = []): NewEvent => ({
      followerId: follower.id, courseId, kind, platform: 'api', externalId: randomUUID(), payload: {}, terms, occurredAt: at(minutes),
    });
    await repos.events.append([event(ids[0]!, 'view', 1), event(ids[1]!, 'click', 2), event(ids[0]!, 'purchase', 3), event(null, 'message', 4, ['摄影', 'python']), event(ids[2]!, 'view', 5)]);
    await queryRows(database.db, sql`insert into entitlements (follower_id, course_id) values (${follower.id}, ${ids[0]!})`);
    const now = new Date('2026-01-02T10:00:00Z');

    const { result: signals, statements } = await countStatements(database, () => new PgServingSignals(database.db).servingSignals(follower.id, { historyLimit: 3, now, halfLifeDays: 30 }));
    expect(statements).toBe(1);
    expect(signals.follower).toEqual(follower);
    expect([...signals.owned]).toEqual([ids[0]]);
    // Course events only, newest first, as many as asked for.
    expect(signals.history.map((e) => [e.courseId, e.kind])).toEqual([[ids[2], 'view'], [ids[0], 'purchase'], [ids[1], 'click']]);
    expect(signals.history[0]).toMatchObject({ followerId: follower.id, occurredAt: at(5) });
    // The same persona inputs as the persona's own read.
    expect(signals.personaStats).toEqual(await repos.events.personaStats(follower.id, follower.timeZone, now, 30));
    expect(signals.personaStats?.messageTerms.map((t) => t.term).sort()).toEqual(['python', '摄影']);
  });

  it('reads nothing personal without personalisation consent, and no follower for an unknown id', async () => {
    const repos = createRepositories(database.db);
    const [course] = (await repos.courses.list({ page: 1, pageSize: 1 })).items;
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'signals-2' });
    await repos.events.append([{ followerId: follower.id, courseId: course!.id, kind: 'view', platform: 'api', externalId: randomUUID(), payload: {}, terms: [], occurredAt: new Date('2026-01-01T10:00:00Z') }]);
    await queryRows(database.db, sql`insert into entitlements (follower_id, course_id) values (${follower.id}, ${course!.id})`);
    await repos.followers.update(follower.id, { hasPersonalizationConsent: false });
    const reader = new PgServingSignals(database.db);
    const options = { historyLimit: 200, now: new Date('2026-01-02T10:00:00Z'), halfLifeDays: 30 };

    const plain = await reader.servingSignals(follower.id, options);
    expect(plain.follower).toMatchObject({ id: follower.id, hasPersonalizationConsent: false });
    // Owned courses are still never offered again.
    expect([...plain.owned]).toEqual([course!.id]);
    expect(plain.history).toEqual([]);
    expect(plain.personaStats).toBeNull();

    expect(await reader.servingSignals(randomUUID(), options)).toEqual({ follower: null, owned: new Set(), history: [], personaStats: null });
  });
});
