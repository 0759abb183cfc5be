import { sql } from 'drizzle-orm';
import type { Segment } from '../../core/campaigns/index.js';
import { LIFECYCLE_STAGES, personaOf, type Clock, type EventKind, type LifecycleStage } from '../../core/index.js';
import { PgEventRepository, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';

/*
 * One meaning per concept: for each follower history below, on a fixed clock, the persona's
 * lifecycle stage and interests (computed in TypeScript from the event aggregates) must be exactly
 * what the broadcast segment SQL (generated from the same core constants) selects.
 */

const NOW = new Date('2026-11-28T12:00:00.000Z');
const clock: Clock = { now: () => NOW };
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type Course = 'photo' | 'python' | 'stocks';
const COURSES: Record<Course, string[]> = { photo: ['photography', 'design'], python: ['python'], stocks: ['investing'] };
const TAGS = ['photography', 'design', 'python', 'investing', 'english'];

/** One event: kind, how long ago (days, fractions allowed), and a course or message terms. */
type Happening = [kind: EventKind, daysAgo: number, about?: Course | string[]];

interface Case {
  name: string;
  history: Happening[];
  stage: LifecycleStage;
  interests: string[];
}

const views = (n: number, daysAgo: number, course: Course = 'photo'): Happening[] => Array.from({ length: n }, () => ['view', daysAgo, course]);

const CASES: Case[] = [
  { name: 'no events at all', history: [], stage: 'new', interests: [] },
  { name: 'followed two days ago', history: [['follow', 2]], stage: 'new', interests: [] },
  { name: 'three views this week, first seen long ago', history: [['follow', 40], ...views(3, 5)], stage: 'engaged', interests: ['photography', 'design'] },
  { name: 'two views this week, first seen long ago', history: [['follow', 40], ...views(2, 5)], stage: 'at-risk', interests: ['photography', 'design'] },
  { name: 'two views this week, first seen ten days ago', history: [['follow', 10], ...views(2, 5)], stage: 'new', interests: ['photography', 'design'] },
  { name: 'three follow/unfollow events are not interactions', history: [['follow', 40], ['unfollow', 3], ['follow', 2], ['follow', 1]], stage: 'at-risk', interests: [] },
  { name: 'last seen 20 days ago', history: views(4, 20), stage: 'at-risk', interests: ['photography', 'design'] },
  { name: 'last seen exactly 14 days ago', history: views(4, 14), stage: 'at-risk', interests: ['photography', 'design'] },
  { name: 'last seen 13 days 23 hours ago', history: views(4, 14 - 1 / 24), stage: 'engaged', interests: ['photography', 'design'] },
  { name: 'last seen exactly 30 days ago', history: views(4, 30), stage: 'dormant', interests: ['photography', 'design'] },
  { name: 'last seen 29 days 23 hours ago', history: views(4, 30 - 1 / 24), stage: 'at-risk', interests: ['photography', 'design'] },
  { name: 'bought three days ago', history: [['purchase', 3, 'python']], stage: 'customer', interests: ['python'] },
  { name: 'bought and refunded in the same hour', history: [['purchase', 3, 'python'], ['refund', 3, 'python']], stage: 'new', interests: [] },
  { name: 'bought, refunded a day later', history: [['purchase', 4, 'python'], ['refund', 3, 'python']], stage: 'new', interests: [] },
  { name: 'bought 20 days ago, quiet since', history: [['purchase', 20, 'python']], stage: 'at-risk', interests: ['python'] },
  { name: 'a checkout long ago and a view this week', history: [['checkout', 40, 'stocks'], ['view', 2, 'photo']], stage: 'engaged', interests: ['investing', 'photography', 'design'] },
  {
    // The window counts hours: 14 days ago at 12:20 is the hour starting exactly 14 days ago, outside it.
    name: 'the third interaction falls in the hour that starts 14 days ago',
    history: [['follow', 60], ['view', 14 - 20 / (24 * 60), 'photo'], ...views(2, 1)],
    stage: 'at-risk',
    interests: ['photography', 'design'],
  },
  { name: 'wrote about photography and Python', history: [['follow', 40], ['message', 2, ['摄影', 'Python', 'hello']], ['message', 1, ['hi']], ['message', 1, ['ok']]], stage: 'engaged', interests: ['photography', 'python'] },
  { name: 'a view four years ago has decayed away', history: [['view', 4 * 365, 'stocks'], ['view', 1, 'python']], stage: 'at-risk', interests: ['python'] },
  { name: 'refund only', history: [['follow', 5], ['refund', 2, 'stocks']], stage: 'new', interests: [] },
];

describe.each(testTargets())('lifecycle stage and interests: persona and segment SQL agree on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  const followerIds = new Map<string, string>();

  beforeAll(async () => {
    database = await openTestDatabase(target);
    repos = createCampaignRepositories(database.db);
    const courseIds = new Map<Course, string>();
    for (const [slug, tags] of Object.entries(COURSES)) {
      const [row] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, status, tags)
        VALUES (${slug}, ${slug}, ${slug}, 9900, 'on_sale', ${`{${tags.join(',')}}`}::text[]) RETURNING id`);
      courseIds.set(slug as Course, row!.id);
    }
    let serial = 0;
    for (const [i, c] of CASES.entries()) {
      const [row] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO followers (display_name, created_at, has_marketing_consent)
        VALUES (${c.name}, ${new Date(NOW.getTime() - 400 * DAY_MS).toISOString()}::timestamptz, true) RETURNING id`);
      const id = row!.id;
      followerIds.set(c.name, id);
      await database.db.execute(sql`INSERT INTO identities (kind, external_id, follower_id) VALUES ('telegram', ${`case-${i}`}, ${id}::uuid)`);
      for (const [kind, daysAgo, about] of c.history) {
        const courseId = typeof about === 'string' ? courseIds.get(about)! : null;
        const terms = Array.isArray(about) ? `{${about.join(',')}}` : '{}';
        const at = new Date(NOW.getTime() - Math.round(daysAgo * DAY_MS)).toISOString();
        await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, terms, occurred_at)
          VALUES (${id}::uuid, ${kind}, 'api', ${`e-${serial++}`}, ${courseId}::uuid, ${terms}::text[], ${at}::timestamptz)`);
      }
    }
  });
  afterAll(() => database.close());

  const selected = async (segment: Segment): Promise<Set<string>> =>
    new Set((await repos.audience.page(segment, NOW, { afterFollowerId: null, limit: 1000 })).map((m) => m.followerId));

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const id = followerIds.get(c.name)!;
    const persona = await personaOf({ events: new PgEventRepository(database.db), clock }, { id, timeZone: 'Asia/Shanghai' });
    expect(persona.lifecycle).toBe(c.stage);
    expect(persona.interests.map((i) => i.tag).sort()).toEqual([...c.interests].sort());

    const stagesSelecting: LifecycleStage[] = [];
    for (const stage of LIFECYCLE_STAGES) if ((await selected({ lifecycle: [stage] })).has(id)) stagesSelecting.push(stage);
    expect(stagesSelecting).toEqual([persona.lifecycle]);

    const tagsSelecting: string[] = [];
    for (const tag of TAGS) if ((await selected({ interestTags: [tag] })).has(id)) tagsSelecting.push(tag);
    expect(tagsSelecting.sort()).toEqual(persona.interests.map((i) => i.tag).sort());
  });

  it('reads a stored segment that still says "active" as engaged', async () => {
    const stored = JSON.parse('{"lifecycle":["active"]}') as Segment;
    expect(await selected(stored)).toEqual(await selected({ lifecycle: ['engaged'] }));
    expect((await selected(stored)).size).toBe(CASES.filter((c) => c.stage === 'engaged').length);
  });

  it('stores the same stages in follower_segments on refresh', async () => {
    await repos.reports.refreshFollowerSegments(NOW);
    const rows = await queryRows<{ follower_id: string; lifecycle: string }>(database.db, sql`SELECT follower_id, lifecycle FROM follower_segments`);
    const stored = new Map(rows.map((r) => [r.follower_id, r.lifecycle]));
    for (const c of CASES) expect([c.name, stored.get(followerIds.get(c.name)!)]).toEqual([c.name, c.stage]);
  });
});
