import { sql } from 'drizzle-orm';
import type { LessonReminderRepository, ReminderClaim, ReminderEnrolment } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, toDateOrNull, tsParam } from './pg-sql.js';

interface EnrolmentRow {
  follower_id: string;
  course_id: string;
  granted_at: unknown;
  time_zone: string;
  identity_kind: 'telegram' | 'wechat';
  chat_id: string;
  last_reminded_at: unknown;
}

/** Lesson reminders in table `lesson_reminders`, and the follower's switch `followers.wants_lesson_reminders`. */
export class PgLessonReminderRepository implements LessonReminderRepository {
  constructor(private readonly db: Db) {}

  async enrolmentsToRemind(limit: number, afterFollowerId?: string): Promise<ReminderEnrolment[]> {
    // A claim still `sending` is not "reminded" yet: if its process died, the next pass retakes it.
    const rows = await queryRows<EnrolmentRow>(
      this.db,
      sql`WITH page AS (
            SELECT DISTINCT e.follower_id FROM entitlements e JOIN followers f ON f.id = e.follower_id
            WHERE e.revoked_at IS NULL AND f.wants_lesson_reminders AND f.is_reachable
              ${afterFollowerId ? sql`AND e.follower_id > ${afterFollowerId}::uuid` : sql``}
            ORDER BY e.follower_id LIMIT ${limit})
          SELECT e.follower_id, e.course_id, e.granted_at, f.time_zone, ident.kind AS identity_kind, ident.external_id AS chat_id,
                 (SELECT max(r.claimed_at) FROM lesson_reminders r
                  WHERE r.follower_id = e.follower_id AND r.course_id = e.course_id AND r.status <> 'sending') AS last_reminded_at
          FROM page
          JOIN entitlements e ON e.follower_id = page.follower_id AND e.revoked_at IS NULL
          JOIN followers f ON f.id = e.follower_id
          JOIN LATERAL (SELECT i.kind, i.external_id FROM identities i WHERE i.follower_id = e.follower_id AND i.kind IN ('telegram', 'wechat')
                        ORDER BY i.kind = 'telegram' DESC LIMIT 1) ident ON true
          ORDER BY e.follower_id, e.granted_at`,
    );
    return rows.map((r) => ({
      followerId: r.follower_id,
      courseId: r.course_id,
      enrolledAt: toDate(r.granted_at),
      timeZone: r.time_zone,
      recipient: { platform: r.identity_kind, chatId: r.chat_id },
      lastRemindedAt: toDateOrNull(r.last_reminded_at),
    }));
  }

  async populationPeakHour(since: Date): Promise<number | null> {
    const [row] = await queryRows<{ hour: number }>(
      this.db,
      sql`SELECT extract(hour FROM e.occurred_at AT TIME ZONE f.time_zone)::int AS hour, count(*) AS n
          FROM events e JOIN followers f ON f.id = e.follower_id
          WHERE e.occurred_at >= ${tsParam(since)}
          GROUP BY 1 ORDER BY n DESC, hour LIMIT 1`,
    );
    return row ? Number(row.hour) : null;
  }

  async claim(claim: ReminderClaim, options: { dailyLimit: number; now: Date; staleBefore: Date }): Promise<boolean> {
    // The day's other courses count against the limit; this course's own row is the conflict target.
    const rows = await queryRows<{ follower_id: string }>(
      this.db,
      sql`INSERT INTO lesson_reminders (follower_id, course_id, local_day, lesson_id, reason, status, claimed_at)
          SELECT ${claim.followerId}::uuid, ${claim.courseId}::uuid, ${claim.localDay}::date, ${claim.lessonId}::uuid, ${claim.reason}, 'sending', ${tsParam(options.now)}
          WHERE (SELECT count(*) FROM lesson_reminders r
                 WHERE r.follower_id = ${claim.followerId}::uuid AND r.local_day = ${claim.localDay}::date AND r.course_id <> ${claim.courseId}::uuid) < ${options.dailyLimit}
          ON CONFLICT (follower_id, course_id, local_day) DO UPDATE SET claimed_at = excluded.claimed_at
            WHERE lesson_reminders.status = 'sending' AND lesson_reminders.claimed_at < ${tsParam(options.staleBefore)}
          RETURNING follower_id`,
    );
    return rows.length > 0;
  }

  async finish(claim: Pick<ReminderClaim, 'followerId' | 'courseId' | 'localDay'>, outcome: { status: 'sent' | 'blocked' | 'failed'; error: string | null; at: Date }): Promise<void> {
    await queryRows(
      this.db,
      sql`UPDATE lesson_reminders SET status = ${outcome.status}, error = ${outcome.error?.slice(0, 1000) ?? null}, finished_at = ${tsParam(outcome.at)}
          WHERE follower_id = ${claim.followerId}::uuid AND course_id = ${claim.courseId}::uuid AND local_day = ${claim.localDay}::date`,
    );
  }

  async setWantsReminders(followerId: string, wants: boolean): Promise<void> {
    await queryRows(this.db, sql`UPDATE followers SET wants_lesson_reminders = ${wants} WHERE id = ${followerId}::uuid`);
  }
}
