import { sql, type SQL } from 'drizzle-orm';
import type { Follower, FollowerPatch, FollowerRepository, IdentityInput, IdentityKind } from '../../core/index.js';
import { isValidTimeZone } from '../../core/index.js';
import { queryPrepared, queryRows, type Db } from '../database.js';
import { pgArray, toDate, toDateOrNull, tsParam, type PgTimestamp } from './pg-sql.js';

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
  created_at: PgTimestamp;
  last_seen_at: PgTimestamp | null;
  in_handoff_since: PgTimestamp | null;
}

export function toFollower(row: RawFollower): Follower {
  return {
    id: row.id,
    displayName: row.display_name,
    locale: row.locale,
    timeZone: row.time_zone,
    hasMarketingConsent: row.has_marketing_consent,
    hasPersonalizationConsent: row.has_personalization_consent,
    isOptedOut: row.is_opted_out,
    isReachable: row.is_reachable,
    createdAt: toDate(row.created_at),
    lastSeenAt: toDateOrNull(row.last_seen_at),
    inHandoffSince: toDateOrNull(row.in_handoff_since ?? null),
  };
}

export class PgFollowerRepository implements FollowerRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<Follower | null> {
    const [row] = await queryRows<RawFollower>(this.db, sql`select * from followers where id = ${id}`);
    return row ? toFollower(row) : null;
  }

  async findByIdentity(kind: IdentityKind, externalId: string): Promise<Follower | null> {
    const [row] = await queryRows<RawFollower>(
      this.db,
      sql`select f.* from identities i join followers f on f.id = i.follower_id where i.kind = ${kind} and i.external_id = ${externalId}`,
    );
    return row ? toFollower(row) : null;
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
    if (row?.existing) return { follower: toFollower(row.existing), isNew: false };
    if (row?.created && row.claimed) return { follower: toFollower(row.created), isNew: true };
    if (row?.created) {
      await queryRows(this.db, sql`delete from followers where id = ${row.created.id}`);
      const winner = await this.findByIdentity(identity.kind, identity.externalId);
      if (winner) return { follower: winner, isNew: false };
    }
    throw new Error(`could not resolve identity ${identity.kind}`);
  }

  async linkIdentity(followerId: string, kind: IdentityKind, externalId: string): Promise<void> {
    await queryRows(
      this.db,
      sql`insert into identities (kind, external_id, follower_id) values (${kind}, ${externalId}, ${followerId})
          on conflict (kind, external_id) do update set follower_id = excluded.follower_id`,
    );
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await queryRows<{ id: string }>(this.db, sql`select id from followers where id = any(${pgArray(ids)}::uuid[])`);
    return new Set(rows.map((r) => r.id));
  }

  async update(id: string, patch: FollowerPatch): Promise<Follower | null> {
    const now = new Date();
    const set: SQL[] = [];
    if (patch.displayName !== undefined) set.push(sql`display_name = ${patch.displayName}`);
    if (patch.locale !== undefined) set.push(sql`locale = ${patch.locale}`);
    if (patch.timeZone !== undefined) set.push(sql`time_zone = ${patch.timeZone}`);
    if (patch.hasMarketingConsent !== undefined) set.push(sql`has_marketing_consent = ${patch.hasMarketingConsent}`);
    if (patch.hasMarketingConsent === true) set.push(sql`marketing_consent_at = ${tsParam(now)}`);
    if (patch.hasPersonalizationConsent !== undefined) set.push(sql`has_personalization_consent = ${patch.hasPersonalizationConsent}`);
    if (patch.isOptedOut !== undefined) set.push(sql`is_opted_out = ${patch.isOptedOut}`);
    if (patch.isReachable !== undefined) set.push(sql`is_reachable = ${patch.isReachable}`);
    set.push(sql`updated_at = ${tsParam(now)}`);
    const [row] = await queryRows<RawFollower>(this.db, sql`update followers set ${sql.join(set, sql`, `)} where id = ${id} returning *`);
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
    return rows.map(toFollower);
  }
}
