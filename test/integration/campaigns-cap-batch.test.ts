import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { CapClaim } from '../../core/guards/index.js';
import { queryRows, type Database } from '../../models/index.js';
import { PgCapLedger } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';

describe.each(testTargets())('frequency caps claimed a batch at a time on %s', (target) => {
  let database: Database;
  let caps: PgCapLedger;
  let prefixCounter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    caps = new PgCapLedger(database.db);
  });
  afterAll(() => database.close());

  /** `perFollower` outbox rows for each of `followers` new followers, in follower order. */
  const messages = async (followers: number, perFollower: number) => {
    const ids = await seedFollowers(database.db, followers, { prefix: `${8_100_000 + ++prefixCounter * 1000}` });
    const rows: Array<{ outboxId: number; followerId: string }> = [];
    for (const followerId of ids) {
      for (let i = 0; i < perFollower; i++) {
        const [row] = await queryRows<{ id: string }>(
          database.db,
          sql`INSERT INTO outbox (follower_id, source, campaign_id, step, not_before) VALUES (${followerId}::uuid, 'broadcast', ${randomUUID()}::uuid, 'broadcast', now()) RETURNING id`,
        );
        rows.push({ outboxId: Number(row!.id), followerId });
      }
    }
    return rows;
  };
  const claim = (m: { outboxId: number; followerId: string }, caps: { dailyCap: number; weeklyCap: number }, dayKey = '2026-11-25'): CapClaim => ({
    ...m, dayKey, weekKey: '2026-W48', ...caps,
  });
  const used = async (followerId: string) =>
    Object.fromEntries(
      (await queryRows<{ period_key: string; used: number }>(database.db, sql`SELECT period_key, used FROM cap_counters WHERE follower_id = ${followerId}::uuid`)).map((r) => [r.period_key, r.used]),
    );

  it('grants the earlier messages of a follower up to the tighter cap, and counts only those', async () => {
    const [a1, a2, a3, b1] = [...(await messages(1, 3)), ...(await messages(1, 1))];
    const granted = await caps.claimMany([a1!, a2!, a3!, b1!].map((m) => claim(m, { dailyCap: 2, weeklyCap: 5 })));
    expect([...granted].sort()).toEqual([a1!.outboxId, a2!.outboxId, b1!.outboxId].sort());
    expect(await used(a1!.followerId)).toEqual({ 'd:2026-11-25': 2, 'w:2026-W48': 2 });
    // The weekly cap (3) leaves one slot on the next day.
    const [a4, a5] = await Promise.all([1, 2].map(async () => (await queryRows<{ id: string }>(database.db,
      sql`INSERT INTO outbox (follower_id, source, campaign_id, step, not_before) VALUES (${a1!.followerId}::uuid, 'broadcast', ${randomUUID()}::uuid, 'broadcast', now()) RETURNING id`))[0]!.id));
    const nextDay = await caps.claimMany([a4, a5].map((id) => claim({ outboxId: Number(id), followerId: a1!.followerId }, { dailyCap: 2, weeklyCap: 3 }, '2026-11-26')));
    expect([...nextDay]).toEqual([Number(a4)]);
    expect(await used(a1!.followerId)).toEqual({ 'd:2026-11-25': 2, 'd:2026-11-26': 1, 'w:2026-W48': 3 });
  });

  it('lets a retried message keep its slots without taking more', async () => {
    const [m] = await messages(1, 1);
    const first = await caps.claimMany([claim(m!, { dailyCap: 1, weeklyCap: 1 })]);
    const again = await caps.claimMany([claim(m!, { dailyCap: 1, weeklyCap: 1 })]);
    expect([...first]).toEqual([m!.outboxId]);
    expect([...again]).toEqual([m!.outboxId]);
    expect(await used(m!.followerId)).toEqual({ 'd:2026-11-25': 1, 'w:2026-W48': 1 });
  });

  it('gives the last slots of overlapping followers to exactly one of two concurrent batches, without deadlocks', async () => {
    const followers = 40;
    const [left, right] = [await messages(followers, 1), await messages(followers, 1)];
    // Both batches claim for the same followers (their second outbox rows), in opposite orders.
    const second = await Promise.all(left.map(async (m) => ({
      outboxId: Number((await queryRows<{ id: string }>(database.db,
        sql`INSERT INTO outbox (follower_id, source, campaign_id, step, not_before) VALUES (${m.followerId}::uuid, 'broadcast', ${randomUUID()}::uuid, 'broadcast', now()) RETURNING id`))[0]!.id),
      followerId: m.followerId,
    })));
    const capsOne = { dailyCap: 1, weeklyCap: 5 };
    const [g1, g2] = await Promise.all([
      caps.claimMany([...left, ...right.slice(0, 10)].map((m) => claim(m, capsOne))),
      caps.claimMany([...second].reverse().map((m) => claim(m, capsOne))),
    ]);
    expect(g1.size + g2.size).toBe(followers + 10);
    for (const m of left) expect(Number(g1.has(m.outboxId)) + Number(g2.has(second.find((s) => s.followerId === m.followerId)!.outboxId))).toBe(1);
  });

  it('refuses claims of one follower for two different days in one call', async () => {
    const [m1, m2] = await messages(1, 2);
    const error = (await caps.claimMany([claim(m1!, { dailyCap: 2, weeklyCap: 5 }), claim(m2!, { dailyCap: 2, weeklyCap: 5 }, '2026-11-26')]).catch((e: unknown) => e)) as Error;
    // Drizzle wraps the database error; PostgreSQL's message is the cause.
    expect((error.cause as Error | undefined)?.message).toMatch(/two different days or weeks/);
    expect(await used(m1!.followerId)).toEqual({});
  });

  it('gives no slot to a message whose follower was deleted since the lease, and goes on with the others', async () => {
    const [gone, kept] = [...(await messages(1, 1)), ...(await messages(1, 1))];
    await database.db.execute(sql`DELETE FROM followers WHERE id = ${gone!.followerId}::uuid`);
    expect([...(await caps.claimMany([gone!, kept!].map((m) => claim(m, { dailyCap: 1, weeklyCap: 1 }))))]).toEqual([kept!.outboxId]);
  });

  it('grants nothing when a cap is zero', async () => {
    const [m] = await messages(1, 1);
    expect((await caps.claimMany([claim(m!, { dailyCap: 0, weeklyCap: 5 })])).size).toBe(0);
  });
});
