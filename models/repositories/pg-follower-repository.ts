import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Follower, FollowerPatch, FollowerRepository, IdentityInput, IdentityKind } from '../../core/index.js';
import { isValidTimeZone } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray } from './pg-sql.js';
import { followers, identities } from '../schema.js';

type FollowerRow = typeof followers.$inferSelect;

export function toFollower(row: FollowerRow): Follower {
  return {
    id: row.id,
    displayName: row.displayName,
    locale: row.locale,
    timeZone: row.timeZone,
    hasMarketingConsent: row.hasMarketingConsent,
    hasPersonalizationConsent: row.hasPersonalizationConsent,
    isOptedOut: row.isOptedOut,
    isReachable: row.isReachable,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
  };
}

export class PgFollowerRepository implements FollowerRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<Follower | null> {
    const [row] = await this.db.select().from(followers).where(eq(followers.id, id));
    return row ? toFollower(row) : null;
  }

  async findByIdentity(kind: IdentityKind, externalId: string): Promise<Follower | null> {
    const [row] = await this.db
      .select({ follower: followers })
      .from(identities)
      .innerJoin(followers, eq(followers.id, identities.followerId))
      .where(and(eq(identities.kind, kind), eq(identities.externalId, externalId)));
    return row ? toFollower(row.follower) : null;
  }

  async resolveIdentity(identity: IdentityInput): Promise<{ follower: Follower; isNew: boolean }> {
    const existing = await this.findByIdentity(identity.kind, identity.externalId);
    if (existing) return { follower: existing, isNew: false };
    const timeZone = identity.timeZone && isValidTimeZone(identity.timeZone) ? identity.timeZone : undefined;
    // Create the follower and claim the identity in one statement; if another request claimed the
    // identity first, the insert does nothing and the orphan follower row is removed again.
    const [created] = await queryRows<{ id: string; claimed: boolean }>(
      this.db,
      sql`with f as (
            insert into followers (display_name, locale, time_zone)
            values (${identity.displayName ?? null}, ${identity.locale ?? 'zh-CN'}, coalesce(${timeZone ?? null}, 'Asia/Shanghai'))
            returning id),
          i as (
            insert into identities (kind, external_id, follower_id)
            select ${identity.kind}, ${identity.externalId}, f.id from f
            on conflict (kind, external_id) do nothing
            returning follower_id)
          select f.id, exists(select 1 from i) as claimed from f`,
    );
    if (created && !created.claimed) {
      await this.db.delete(followers).where(eq(followers.id, created.id));
      const winner = await this.findByIdentity(identity.kind, identity.externalId);
      if (winner) return { follower: winner, isNew: false };
    }
    const follower = created ? await this.findById(created.id) : null;
    if (!follower) throw new Error(`could not resolve identity ${identity.kind}`);
    return { follower, isNew: true };
  }

  async linkIdentity(followerId: string, kind: IdentityKind, externalId: string): Promise<void> {
    await this.db
      .insert(identities)
      .values({ kind, externalId, followerId })
      .onConflictDoUpdate({ target: [identities.kind, identities.externalId], set: { followerId } });
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.select({ id: followers.id }).from(followers).where(inArray(followers.id, [...ids]));
    return new Set(rows.map((r) => r.id));
  }

  async update(id: string, patch: FollowerPatch): Promise<Follower | null> {
    const consentAt = patch.hasMarketingConsent === true ? { marketingConsentAt: new Date() } : {};
    const [row] = await this.db
      .update(followers)
      .set({ ...patch, ...consentAt, updatedAt: new Date() })
      .where(eq(followers.id, id))
      .returning();
    return row ? toFollower(row) : null;
  }

  async touchLastSeen(lastSeen: ReadonlyMap<string, Date>): Promise<void> {
    if (lastSeen.size === 0) return;
    const ids = [...lastSeen.keys()];
    const idList = pgArray(ids);
    const timeList = pgArray(ids.map((id) => lastSeen.get(id)!.toISOString()));
    await this.db.execute(sql`
      update followers f set last_seen_at = greatest(f.last_seen_at, v.at)
      from unnest(${idList}::uuid[], ${timeList}::timestamptz[]) as v(id, at)
      where f.id = v.id`);
  }
}
