import { sql } from 'drizzle-orm';
import type { Platform, SendPurpose, SendStatus } from '../../core/index.js';
import { queryPrepared, queryRows, type Db } from '../database.js';
import { pgArray } from './pg-sql.js';

export interface SendLogEntry {
  platform: Platform;
  followerId: string | null;
  chatId: string;
  purpose: SendPurpose;
  idempotencyKey?: string;
  replyCount: number;
}

export interface FinishedSend {
  status: SendStatus;
  providerMessageIds: string[];
  error: string | null;
}

/** A send without an idempotency key, written once when it is over. */
export interface CompletedSend extends Omit<SendLogEntry, 'idempotencyKey'>, FinishedSend {
  attempts: number;
  startedAt: Date;
  finishedAt: Date;
  /** The `reply_queue` row it came from, deleted in the same statement (see PgReplyQueue). */
  queueId?: number;
}

/** A send was started (`id`), or the idempotency key was already used and this is how it went. */
export type StartedSend = { id: number; existing?: undefined } | { id: null; existing: FinishedSend };

/**
 * The `sends` table: every outbound send, one row per Messenger.send call. A send with an
 * idempotency key runs once: a second call with the same key gets the first one's outcome, unless
 * that one failed or was rate limited, in which case the row is taken again for a retry.
 *
 * @example
 * const started = await sendLog.start({ platform: 'telegram', followerId, chatId: '42', purpose: 'marketing', idempotencyKey: 'c7:f1', replyCount: 1 });
 * if (started.id !== null) await sendLog.finish(started.id, { status: 'sent', providerMessageIds: ['9'], error: null }, 1);
 * const [batched] = await sendLog.startMany([{ platform: 'telegram', followerId, chatId: '43', purpose: 'marketing', idempotencyKey: 'c7:f2', replyCount: 1 }]);
 * if (batched?.id != null) await sendLog.finishMany([{ id: batched.id, outcome: { status: 'sent', providerMessageIds: ['11'], error: null }, attempts: 1, at: new Date() }]);
 * await sendLog.record([{ platform: 'telegram', followerId, chatId: '42', purpose: 'transactional', replyCount: 1, status: 'sent',
 *   providerMessageIds: ['10'], error: null, attempts: 1, startedAt, finishedAt: new Date() }]);
 */
export class PgSendLogRepository {
  constructor(private readonly db: Db) {}

  async start(entry: SendLogEntry): Promise<StartedSend> {
    const [inserted] = await queryRows<{ id: number }>(
      this.db,
      sql`insert into sends (platform, follower_id, chat_id, purpose, idempotency_key, reply_count)
          values (${entry.platform}, ${entry.followerId}, ${entry.chatId}, ${entry.purpose}, ${entry.idempotencyKey ?? null}, ${entry.replyCount})
          on conflict (platform, idempotency_key) where idempotency_key is not null do nothing
          returning id::int as id`,
    );
    if (inserted) return { id: inserted.id };
    // Only a retryable outcome may be taken again; the conditional update makes that a single winner.
    const [retaken] = await queryRows<{ id: number }>(
      this.db,
      sql`update sends set status = 'sending', error = null, finished_at = null
          where platform = ${entry.platform} and idempotency_key = ${entry.idempotencyKey ?? null} and status in ('failed', 'rate_limited')
          returning id::int as id`,
    );
    if (retaken) return { id: retaken.id };
    const [row] = await queryRows<{ status: SendStatus; providerMessageIds: string[]; error: string | null }>(
      this.db,
      sql`select status, provider_message_ids as "providerMessageIds", error from sends
          where platform = ${entry.platform} and idempotency_key = ${entry.idempotencyKey ?? null}`,
    );
    return { id: null, existing: row ?? { status: 'sending', providerMessageIds: [], error: null } };
  }

  /**
   * {@link start} for many keyed sends in one statement (the sends of one outbox batch): one
   * result per entry, in order. The rows are committed before the statement returns, so a crash
   * after any of them goes out finds it `sending`. Keys must be distinct within the call.
   */
  async startMany(entries: ReadonlyArray<SendLogEntry & { idempotencyKey: string }>): Promise<StartedSend[]> {
    if (entries.length === 0) return [];
    if (new Set(entries.map((e) => `${e.platform}:${e.idempotencyKey}`)).size !== entries.length) {
      throw new Error('startMany: idempotency keys must be distinct within one call; send a repeated key in a later call');
    }
    const rows = JSON.stringify(
      entries.map((e, position) => ({ position, platform: e.platform, key: e.idempotencyKey, follower_id: e.followerId, chat_id: e.chatId, purpose: e.purpose, reply_count: e.replyCount })),
    );
    // One snapshot for the whole statement: `taken` sees only rows that existed before it (never the
    // ones `added` inserts), and `earlier` answers for keys neither added nor retaken. A follower
    // deleted meanwhile leaves the row without one (as `on delete set null` would).
    const started = await queryRows<{ id: number | null; status: SendStatus | null; providerMessageIds: string[] | null; error: string | null }>(
      this.db,
      sql`with input as (
            select x.*, f.id as known_follower_id
            from jsonb_to_recordset(${rows}::jsonb) as x(position int, platform text, key text, follower_id uuid, chat_id text, purpose text, reply_count int)
            left join followers f on f.id = x.follower_id),
          added as (
            insert into sends (platform, follower_id, chat_id, purpose, idempotency_key, reply_count)
            select platform, known_follower_id, chat_id, purpose, key, reply_count from input order by position
            on conflict (platform, idempotency_key) where idempotency_key is not null do nothing
            returning id, platform, idempotency_key),
          taken as (
            update sends s set status = 'sending', error = null, finished_at = null
            from input where s.platform = input.platform and s.idempotency_key = input.key and s.status in ('failed', 'rate_limited')
            returning s.id, s.platform, s.idempotency_key)
          select coalesce(a.id, t.id)::int as id, e.status, e.provider_message_ids as "providerMessageIds", e.error
          from input
          left join added a on a.platform = input.platform and a.idempotency_key = input.key
          left join taken t on t.platform = input.platform and t.idempotency_key = input.key
          left join sends e on a.id is null and t.id is null and e.platform = input.platform and e.idempotency_key = input.key
          order by input.position`,
    );
    return started.map((row) =>
      row.id !== null
        ? { id: row.id }
        : { id: null, existing: row.status ? { status: row.status, providerMessageIds: row.providerMessageIds ?? [], error: row.error } : { status: 'sending', providerMessageIds: [], error: null } },
    );
  }

  async finish(id: number, outcome: FinishedSend, attempts: number, at: Date): Promise<void> {
    await queryRows(
      this.db,
      sql`update sends set status = ${outcome.status}, provider_message_ids = ${pgArray(outcome.providerMessageIds)}::text[],
          error = ${outcome.error}, attempts = attempts + ${attempts}, finished_at = ${at.toISOString()}::timestamptz
          where id = ${id}`,
    );
  }

  /** {@link finish} for many started sends in one statement. */
  async finishMany(finished: ReadonlyArray<{ id: number; outcome: FinishedSend; attempts: number; at: Date }>): Promise<void> {
    if (finished.length === 0) return;
    const rows = JSON.stringify(
      finished.map((f) => ({ id: f.id, status: f.outcome.status, ids: f.outcome.providerMessageIds, error: f.outcome.error, attempts: f.attempts, at: f.at.toISOString() })),
    );
    await queryRows(
      this.db,
      sql`update sends s set status = x.status, provider_message_ids = coalesce(x.ids, '{}'), error = x.error, attempts = s.attempts + x.attempts, finished_at = x.at
          from jsonb_to_recordset(${rows}::jsonb) as x(id bigint, status text, ids text[], error text, attempts int, at timestamptz)
          where s.id = x.id`,
    );
  }

  /**
   * Writes finished sends that had no idempotency key (nothing to claim beforehand): one row each,
   * one statement for all of them, which also deletes their `reply_queue` rows.
   */
  async record(completed: readonly CompletedSend[]): Promise<void> {
    if (completed.length === 0) return;
    const rows = JSON.stringify(
      completed.map((c) => ({
        platform: c.platform,
        follower_id: c.followerId,
        chat_id: c.chatId,
        purpose: c.purpose,
        status: c.status,
        reply_count: c.replyCount,
        provider_message_ids: c.providerMessageIds,
        error: c.error,
        attempts: c.attempts,
        created_at: c.startedAt.toISOString(),
        finished_at: c.finishedAt.toISOString(),
      })),
    );
    const queueIds = pgArray(completed.flatMap((c) => (c.queueId === undefined ? [] : [String(c.queueId)])));
    // A follower deleted while the send was in flight leaves the row without one (as `on delete set null` would).
    await queryPrepared(
      this.db,
      'sends_record',
      sql`with sent as (delete from reply_queue where id = any(${queueIds}::bigint[]))
          insert into sends (platform, follower_id, chat_id, purpose, status, reply_count, provider_message_ids, error, attempts, created_at, finished_at)
          select x.platform, f.id, x.chat_id, x.purpose, x.status, x.reply_count, coalesce(x.provider_message_ids, '{}'), x.error, x.attempts, x.created_at, x.finished_at
          from jsonb_to_recordset(${rows}::jsonb) as x(platform text, follower_id uuid, chat_id text, purpose text, status text, reply_count int,
                                                      provider_message_ids text[], error text, attempts int, created_at timestamptz, finished_at timestamptz)
          left join followers f on f.id = x.follower_id`,
    );
  }
}
