import { sql } from 'drizzle-orm';
import type { Platform, Reply, SendPurpose } from '../../core/index.js';
import { queryPrepared, queryRows, type Db } from '../database.js';
import { ABANDONED_SEND } from './pg-outbox-repository.js';
import { tsParam } from './pg-sql.js';

/** Replies for one chat, waiting to be sent. */
export interface QueuedReplies {
  platform: Platform;
  followerId: string | null;
  chatId: string;
  purpose: SendPurpose;
  replies: Reply[];
}

/**
 * The durable side of a messenger's chat-reply queue (table `reply_queue`): rows are added when
 * replies are queued, leased to the process that queued them, deleted when their send is recorded
 * ({@link PgSendLogRepository.record} with their ids), and taken over by another process when
 * their owner stops renewing its lease.
 *
 * @example
 * const [id] = await queue.add([{ platform: 'telegram', followerId, chatId: '42', purpose: 'transactional', replies }], 'host:123', leaseUntil);
 */
export class PgReplyQueue {
  constructor(private readonly db: Db) {}

  /** Adds queued replies owned by `owner` until `leaseUntil`; returns their ids in order. */
  async add(items: readonly QueuedReplies[], owner: string, leaseUntil: Date): Promise<number[]> {
    if (items.length === 0) return [];
    const rows = JSON.stringify(items.map((i, position) => ({ position, platform: i.platform, follower_id: i.followerId, chat_id: i.chatId, purpose: i.purpose, replies: i.replies })));
    // Ids are drawn first, per position, so each item gets its own id back whatever order the
    // insert returns rows in. A follower deleted meanwhile leaves the row without one (the replies
    // still go to the chat).
    const ids = await queryPrepared<{ id: string; position: number }>(
      this.db,
      'reply_queue_add',
      sql`with x as (
            select * from jsonb_to_recordset(${rows}::jsonb) as x(position int, platform text, follower_id uuid, chat_id text, purpose text, replies jsonb)),
          ids as (
            select x.position, nextval(pg_get_serial_sequence('reply_queue', 'id')) as id from x),
          added as (
            insert into reply_queue (id, platform, follower_id, chat_id, purpose, replies, owner, lease_until) overriding system value
            select ids.id, x.platform, f.id, x.chat_id, x.purpose, x.replies, ${owner}, ${tsParam(leaseUntil)}
            from x join ids on ids.position = x.position
            left join followers f on f.id = x.follower_id)
          select id, position from ids order by position`,
    );
    return ids.map((r) => Number(r.id));
  }

  /** Deletes rows whose replies were sent (or given up) by a messenger that records sends on its own. */
  async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await queryRows(this.db, sql`delete from reply_queue where id = any(${`{${ids.join(',')}}`}::bigint[])`);
  }

  /** Extends the lease of every row `owner` holds. */
  async renew(owner: string, leaseUntil: Date): Promise<void> {
    await queryRows(this.db, sql`update reply_queue set lease_until = ${tsParam(leaseUntil)} where owner = ${owner}`);
  }

  /**
   * Takes up to `limit` of `platform`'s rows whose lease ran out before `now` (their owner
   * stopped), oldest first, for `owner` until `leaseUntil`; concurrent callers take disjoint rows.
   * Only a process with that platform's messenger can send them.
   */
  async takeExpired(platform: Platform, owner: string, now: Date, leaseUntil: Date, limit: number): Promise<Array<QueuedReplies & { id: number }>> {
    const rows = await queryRows<{ id: string; platform: Platform; follower_id: string | null; chat_id: string; purpose: SendPurpose; replies: Reply[] }>(
      this.db,
      sql`with due as (
            select id from reply_queue where platform = ${platform} and lease_until < ${tsParam(now)} order by id limit ${limit} for update skip locked),
          -- A keyed send the dead owner left 'sending' is closed as failed, so the taker can send
          -- under the same key (one send row per reply, none stuck).
          abandoned as (
            update sends s set status = 'failed', error = ${ABANDONED_SEND}, finished_at = ${tsParam(now)}
            from due where s.platform = ${platform} and s.idempotency_key = 'queued:' || due.id and s.status = 'sending')
          update reply_queue q set owner = ${owner}, lease_until = ${tsParam(leaseUntil)}
          from due
          where q.id = due.id
          returning q.id, q.platform, q.follower_id, q.chat_id, q.purpose, q.replies`,
    );
    return rows
      .map((r) => ({ id: Number(r.id), platform: r.platform, followerId: r.follower_id, chatId: r.chat_id, purpose: r.purpose, replies: r.replies }))
      .sort((a, b) => a.id - b.id);
  }
}
