import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { EVENT_KINDS } from '../../../core/index.js';
import { createRepositories, demoCourses, migrate, queryRows, seedDemoCatalogue, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';

describe.each(testTargets())('repositories and migrations on %s', (target) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database.close());

  it('applies migrations once and then has nothing to do', async () => {
    expect(await migrate(database)).toEqual([]);
  });

  it('accepts exactly the event kinds the core defines', async () => {
    const [constraint] = await queryRows<{ definition: string }>(
      database.db,
      sql`select pg_get_constraintdef(c.oid) as definition from pg_constraint c join pg_class t on t.oid = c.conrelid
          where t.relname = 'events' and c.conname = 'events_kind_check' and t.relnamespace = current_schema()::regnamespace`,
    );
    const inSql = [...constraint!.definition.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).sort();
    expect(inSql).toEqual([...EVENT_KINDS].sort());
  });

  it('seeds the demo catalogue once, bilingual, priced in fen and Stars', async () => {
    expect(await seedDemoCatalogue(database.db)).toBe(demoCourses().length);
    expect(await seedDemoCatalogue(database.db)).toBe(0);
    const { items, total } = await createRepositories(database.db).courses.list({ page: 1, pageSize: 100 });
    expect(total).toBeGreaterThanOrEqual(24);
    for (const course of items) {
      expect(course.titleZh).toMatch(/\p{Script=Han}/u);
      expect(course.titleEn).toMatch(/[A-Za-z]/);
      expect(Number.isInteger(course.priceMinor)).toBe(true);
      expect(course.priceStars).toBeGreaterThan(0);
      expect(course.tags.length).toBeGreaterThan(0);
    }
    // Several courses in one read: those that exist, by id, as findById reads each.
    const courses = createRepositories(database.db).courses;
    const [a, b] = items;
    const found = await courses.findByIds([a!.id, b!.id, '00000000-0000-4000-8000-000000000000']);
    expect([...found.keys()].sort()).toEqual([a!.id, b!.id].sort());
    expect(found.get(a!.id)).toEqual(await courses.findById(a!.id));
    expect((await courses.findByIds([])).size).toBe(0);
  });

  it('resolves one identity to one follower even when asked concurrently', async () => {
    const repos = createRepositories(database.db);
    const identity = { kind: 'wechat' as const, externalId: `wx-${randomUUID()}`, displayName: '小明', timeZone: 'Asia/Tokyo' };
    const results = await Promise.all([repos.followers.resolveIdentity(identity), repos.followers.resolveIdentity(identity), repos.followers.resolveIdentity(identity)]);
    expect(new Set(results.map((r) => r.follower.id)).size).toBe(1);
    expect(results[0]!.follower).toMatchObject({ displayName: '小明', timeZone: 'Asia/Tokyo', isReachable: true, isOptedOut: false });
    const orphans = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from followers f where not exists (select 1 from identities i where i.follower_id = f.id)`);
    expect(orphans[0]!.n).toBe(0);
  });

  it('links a second identity to the same follower and updates flags', async () => {
    const repos = createRepositories(database.db);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'mp_openid', externalId: `o-${randomUUID()}` });
    const unionId = `u-${randomUUID()}`;
    await repos.followers.linkIdentity(follower.id, 'mp_unionid', unionId);
    expect((await repos.followers.findByIdentity('mp_unionid', unionId))!.id).toBe(follower.id);
    const updated = await repos.followers.update(follower.id, { isOptedOut: true, hasMarketingConsent: true, locale: 'en' });
    expect(updated).toMatchObject({ isOptedOut: true, hasMarketingConsent: true, locale: 'en' });
  });

  it('appends events idempotently and only moves last_seen_at forward', async () => {
    const repos = createRepositories(database.db);
    const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: `t-${randomUUID()}` });
    const event = { followerId: follower.id, kind: 'follow' as const, platform: 'telegram' as const, externalId: `e-${randomUUID()}`, courseId: null, payload: {}, terms: [], occurredAt: new Date('2026-01-02T00:00:00Z') };
    expect((await repos.events.append([event])).size).toBe(1);
    expect((await repos.events.append([event])).size).toBe(0);
    await repos.followers.touchLastSeen(new Map([[follower.id, new Date('2026-01-05T00:00:00Z')]]));
    await repos.followers.touchLastSeen(new Map([[follower.id, new Date('2026-01-03T00:00:00Z')]]));
    expect((await repos.followers.findById(follower.id))!.lastSeenAt).toEqual(new Date('2026-01-05T00:00:00Z'));
  });

  it('records audit entries', async () => {
    const repos = createRepositories(database.db);
    await repos.audit.record({ actor: 'admin:test', action: 'course.archive', subjectType: 'course', subjectId: 'c1', details: { why: 'old' } });
    const rows = await queryRows<{ action: string; details: { why: string } }>(database.db, sql`select action, details from audit_log where subject_id = 'c1'`);
    expect(rows).toEqual([{ action: 'course.archive', details: { why: 'old' } }]);
  });
});
