import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Follower, FollowerPatch, FollowerRepository, IdentityInput, IdentityKind } from '../../core/index.js';
import { isValidTimeZone } from '../../core/index.js';
import { queryPrepared, queryRows, type Db } from '../database.js';
import { pgArray } from './pg-sql.js';
import { followers, identities } from '../schema.js';

type FollowerRow = typeof followers.$inferSelect;

/** A followers row from raw SQL (`returning f.*`, or `json_agg` of it, where times are strings). */
export interface RawFollower {
  id: string;
  display_name: string | null;
  locale: Follower['locale'];
  time_zone: string;
  has_marketing_consent: boolean;
  has_personalization_consent: boolean;
  is_opted_out: boolean;
  is_reachable: boolean;
  created_at: Date | string;
  last_seen_at: Date | string | null;
}

export function fromRawFollower(row: RawFollower): Follower {
  return {
    id: row.id,
    displayName: row.display_name,
    locale: row.locale,
    timeZone: row.time_zone,
    hasMarketingConsent: row.has_marketing_consent,
    hasPersonalizationConsent: row.has_personalization_consent,
    isOptedOut: row.is_opted_out,
    isReachable: row.is_reachable,
    createdAt: new Date(row.created_at),
    lastSeenAt: row.last_seen_at === null ? null : new Date(row.last_seen_at),
  };
}

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
    const timeZone = identity.timeZone && isValidTimeZone(identity.timeZone) ? identity.timeZone : undefined;
    // One statement: find the identity's follower, or create the follower and claim the identity.
    // If another request claimed the identity first, the insert does nothing and the orphan
    // follower row is removed again.
    const [row] = await queryPrepared<{ existing: RawFollower | null; created: RawFollower | null; claimed: boolean }>(
      this.db,
      'followers_resolve_identity',
      sql`with existing as (
            select f.* from identities i join followers f on f.id = i.follower_id
            where i.kind = ${identity.kind} and i.external_id = ${identity.externalId}),
          f as (
            insert into followers (display_name, locale, time_zone)
            select ${identity.displayName ?? null}, ${identity.locale ?? 'zh-CN'}, coalesce(${timeZone ?? null}, 'Asia/Shanghai')
            where not exists (select 1 from existing)
            returning *),
          i as (
            insert into identities (kind, external_id, follower_id)
            select ${identity.kind}, ${identity.externalId}, f.id from f
            on conflict (kind, external_id) do nothing
            returning follower_id)
          select (select row_to_json(existing) from existing) as existing,
                 (select row_to_json(f) from f) as created,
                 exists (select 1 from i) as claimed`,
    );
    if (row?.existing) return { follower: fromRawFollower(row.existing), isNew: false };
    if (row?.created && row.claimed) return { follower: fromRawFollower(row.created), isNew: true };
    if (row?.created) {
      await this.db.delete(followers).where(eq(followers.id, row.created.id));
      const winner = await this.findByIdentity(identity.kind, identity.externalId);
      if (winner) return { follower: winner, isNew: false };
    }
    throw new Error(`could not resolve identity ${identity.kind}`);
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

  async touchLastSeen(lastSeen: ReadonlyMap<string, Date>): Promise<Follower[]> {
    if (lastSeen.size === 0) return [];
    const ids = [...lastSeen.keys()];
    const idList = pgArray(ids);
    const timeList = pgArray(ids.map((id) => lastSeen.get(id)!.toISOString()));
    const rows = await queryRows<RawFollower>(this.db, sql`
      update followers f set last_seen_at = greatest(f.last_seen_at, v.at)
      from unnest(${idList}::uuid[], ${timeList}::timestamptz[]) as v(id, at)
      where f.id = v.id
      returning f.*`);
    return rows.map(fromRawFollower);
  }
}
