import { sql, type SQL } from 'drizzle-orm';
import type {
  FollowerText, Handoff, HandoffDesk, HandoffInbox, HandoffReason, HandoffStatus, InboxItem, InboxQuery, Page, Platform, StaffMessage,
} from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray, toDate, toDateOrNull, tsParam, type PgTimestamp } from './pg-sql.js';

interface HandoffRow {
  id: string;
  follower_id: string;
  creator_id: string | null;
  course_id: string | null;
  platform: Platform;
  chat_id: string;
  reason: HandoffReason;
  status: HandoffStatus;
  opened_at: PgTimestamp;
  waiting_since: PgTimestamp | null;
  first_response_at: PgTimestamp | null;
  last_activity_at: PgTimestamp;
  closed_at: PgTimestamp | null;
  closed_by: string | null;
}

interface InboxRow extends HandoffRow {
  follower_name: string | null;
  title_zh: string | null;
  title_en: string | null;
  total?: number;
}

interface MessageRow {
  id: string;
  handoff_id: string;
  client_key: string;
  author: string;
  text: string;
  status: StaffMessage['status'];
  error: string | null;
  created_at: PgTimestamp;
  sent_at: PgTimestamp | null;
}

const toHandoff = (r: HandoffRow): Handoff => ({
  id: r.id,
  followerId: r.follower_id,
  creatorId: r.creator_id,
  courseId: r.course_id,
  platform: r.platform,
  chatId: r.chat_id,
  reason: r.reason,
  status: r.status,
  openedAt: toDate(r.opened_at),
  waitingSince: toDateOrNull(r.waiting_since),
  firstResponseAt: toDateOrNull(r.first_response_at),
  lastActivityAt: toDate(r.last_activity_at),
  closedAt: toDateOrNull(r.closed_at),
  closedBy: r.closed_by,
});

const toInboxItem = (r: InboxRow): InboxItem => ({
  ...toHandoff(r),
  followerName: r.follower_name,
  courseTitle: r.title_zh !== null && r.title_en !== null ? { zh: r.title_zh, en: r.title_en } : null,
});

const toMessage = (r: MessageRow): StaffMessage => ({
  id: r.id,
  handoffId: r.handoff_id,
  clientKey: r.client_key,
  author: r.author,
  text: r.text,
  status: r.status,
  error: r.error,
  createdAt: toDate(r.created_at),
  sentAt: toDateOrNull(r.sent_at),
});

/** The inbox row: the hand-off with its follower's name and its course's titles. */
const INBOX_SELECT = sql`select h.*, f.display_name as follower_name, c.title_zh, c.title_en
  from handoffs h join followers f on f.id = h.follower_id left join courses c on c.id = h.course_id`;

/**
 * Hand-offs (models/migrations/0018_handoffs.sql): the chat path's desk and the console's inbox.
 * Opening and closing change the hand-off and the follower's `in_handoff_since` in one statement.
 */
export class PgHandoffRepository implements HandoffDesk, HandoffInbox {
  constructor(private readonly db: Db) {}

  async open(request: { followerId: string; platform: Platform; chatId: string; reason: HandoffReason; courseId?: string | null; at: Date }): Promise<{ handoff: Handoff; isNew: boolean }> {
    const at = tsParam(request.at);
    // The course it is about: the one the chat named, else the follower's latest paid course; its
    // creator's inbox shows the hand-off. The partial unique index keeps one open per follower.
    const [row] = await queryRows<HandoffRow & { is_new: boolean }>(
      this.db,
      sql`with about as (
            select c.id, c.creator_id from courses c where c.id = ${request.courseId ?? null}::uuid
            union all
            (select c.id, c.creator_id from orders o join courses c on c.id = o.course_id
             where o.follower_id = ${request.followerId}::uuid and o.status = 'paid' order by o.paid_at desc nulls last limit 1)
            limit 1),
          ins as (
            insert into handoffs (follower_id, creator_id, course_id, platform, chat_id, reason, opened_at, waiting_since, last_activity_at)
            select ${request.followerId}::uuid, (select creator_id from about), (select id from about), ${request.platform}, ${request.chatId}, ${request.reason}, ${at}, ${at}, ${at}
            on conflict (follower_id) where status <> 'closed' do nothing
            returning *),
          mark as (
            update followers set in_handoff_since = ins.opened_at from ins where followers.id = ins.follower_id returning 1)
          select ins.*, true as is_new from ins
          union all
          select h.*, false as is_new from handoffs h where h.follower_id = ${request.followerId}::uuid and h.status <> 'closed' and not exists (select 1 from ins)`,
    );
    if (!row) throw new Error(`hand-off of follower ${request.followerId} was neither opened nor found open; retry`);
    return { handoff: toHandoff(row), isNew: row.is_new };
  }

  async noteFollowerMessage(followerId: string, at: Date): Promise<{ handoffId: string; isNoticeDue: boolean } | null> {
    // The notice is claimed in the same update: concurrent messages get it once.
    const [row] = await queryRows<{ id: string; was_notice_sent: boolean }>(
      this.db,
      sql`update handoffs h set waiting_since = coalesce(h.waiting_since, ${tsParam(at)}), last_activity_at = greatest(h.last_activity_at, ${tsParam(at)}), is_notice_sent = true
          from (select id, is_notice_sent from handoffs where follower_id = ${followerId}::uuid and status <> 'closed' for update) old
          where h.id = old.id
          returning h.id, old.is_notice_sent as was_notice_sent`,
    );
    return row ? { handoffId: row.id, isNoticeDue: !row.was_notice_sent } : null;
  }

  async list(query: InboxQuery): Promise<Page<InboxItem>> {
    const where: SQL[] = [sql`h.status = any(${pgArray([...query.statuses])}::text[])`];
    if (query.creatorId) where.push(sql`h.creator_id = ${query.creatorId}::uuid`);
    // Waiting ones first, the longest wait first; then the rest, the latest activity first.
    const rows = await queryRows<InboxRow>(
      this.db,
      sql`select x.*, count(*) over ()::int as total from (${INBOX_SELECT} where ${sql.join(where, sql` and `)}) x
          order by x.waiting_since is null, x.waiting_since, x.last_activity_at desc
          limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    );
    return { items: rows.map(toInboxItem), page: query.page, pageSize: query.pageSize, total: rows[0]?.total ?? 0 };
  }

  async findById(id: string): Promise<InboxItem | null> {
    const [row] = await queryRows<InboxRow>(this.db, sql`${INBOX_SELECT} where h.id = ${id}::uuid`);
    return row ? toInboxItem(row) : null;
  }

  async staffMessages(handoffId: string): Promise<StaffMessage[]> {
    const rows = await queryRows<MessageRow>(this.db, sql`select * from handoff_messages where handoff_id = ${handoffId}::uuid order by created_at, id`);
    return rows.map(toMessage);
  }

  async followerTexts(followerId: string, since: Date, limit: number): Promise<FollowerText[]> {
    const rows = await queryRows<{ occurred_at: PgTimestamp; text: string; platform: Platform }>(
      this.db,
      sql`select * from (
            select occurred_at, payload->>'text' as text, platform, id from events
            where follower_id = ${followerId}::uuid and kind = 'message' and occurred_at >= ${tsParam(since)} and payload ? 'text'
            order by occurred_at desc, id desc limit ${limit}) latest
          order by occurred_at, id`,
    );
    return rows.map((r) => ({ at: toDate(r.occurred_at), text: r.text, platform: r.platform }));
  }

  async addStaffMessage(message: { handoffId: string; clientKey: string; author: string; text: string; at: Date }): Promise<{ message: StaffMessage; isNew: boolean }> {
    const [row] = await queryRows<MessageRow & { is_new: boolean }>(
      this.db,
      sql`with ins as (
            insert into handoff_messages (handoff_id, client_key, author, text, created_at)
            values (${message.handoffId}::uuid, ${message.clientKey}, ${message.author}, ${message.text}, ${tsParam(message.at)})
            on conflict (handoff_id, client_key) do nothing
            returning *)
          select ins.*, true as is_new from ins
          union all
          select m.*, false as is_new from handoff_messages m where m.handoff_id = ${message.handoffId}::uuid and m.client_key = ${message.clientKey} and not exists (select 1 from ins)`,
    );
    if (!row) throw new Error(`staff message ${message.clientKey} was neither stored nor found; retry`);
    return { message: toMessage(row), isNew: row.is_new };
  }

  async finishStaffMessage(id: string, outcome: { status: 'sent' | 'failed'; error?: string }, at: Date): Promise<StaffMessage> {
    const [row] = await queryRows<MessageRow>(
      this.db,
      sql`with m as (
            update handoff_messages set status = ${outcome.status}, error = ${outcome.error ?? null}, sent_at = case when ${outcome.status} = 'sent' then ${tsParam(at)} end
            where id = ${id}::uuid returning *),
          answered as (
            update handoffs h set status = 'answered', first_response_at = coalesce(h.first_response_at, ${tsParam(at)}), waiting_since = null,
                                  last_activity_at = greatest(h.last_activity_at, ${tsParam(at)})
            from m where h.id = m.handoff_id and m.status = 'sent' and h.status <> 'closed' returning 1)
          select * from m`,
    );
    if (!row) throw new Error(`staff message ${id} not found`);
    return toMessage(row);
  }

  async close(id: string, actor: string, at: Date): Promise<{ handoff: Handoff; isNew: boolean }> {
    const [row] = await queryRows<HandoffRow & { is_new: boolean }>(
      this.db,
      sql`with closed as (
            update handoffs set status = 'closed', closed_at = ${tsParam(at)}, closed_by = ${actor}, waiting_since = null, last_activity_at = greatest(last_activity_at, ${tsParam(at)})
            where id = ${id}::uuid and status <> 'closed' returning *),
          freed as (
            update followers f set in_handoff_since = null from closed where f.id = closed.follower_id returning 1)
          select closed.*, true as is_new from closed
          union all
          select h.*, false as is_new from handoffs h where h.id = ${id}::uuid and not exists (select 1 from closed)`,
    );
    if (!row) throw new Error(`hand-off ${id} not found`);
    return { handoff: toHandoff(row), isNew: row.is_new };
  }
}
