import { sql, type SQL } from 'drizzle-orm';
import type {
  Chapter, ChapterInput, ChapterPatch, CourseContentRepository, CourseLearner, CourseOutline, Enrolment, LearningActivity, LearningReportRepository, LearningRepository, Lesson,
  LessonInput, LessonMediaKind,
} from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, toDateOrNull, tsParam } from './pg-sql.js';

interface ChapterRow {
  id: string;
  course_id: string;
  title_zh: string;
  title_en: string;
  position: number;
}

interface LessonRow {
  id: string;
  chapter_id: string;
  course_id: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  media_kind: LessonMediaKind | null;
  media_url: string | null;
  attachment_ref: string | null;
  estimated_minutes: number | null;
  is_free_preview: boolean;
  position: number;
}

const toChapter = (r: ChapterRow): Chapter => ({ id: r.id, courseId: r.course_id, titleZh: r.title_zh, titleEn: r.title_en, position: r.position });

const toLesson = (r: LessonRow): Lesson => ({
  id: r.id,
  chapterId: r.chapter_id,
  courseId: r.course_id,
  titleZh: r.title_zh,
  titleEn: r.title_en,
  bodyZh: r.body_zh,
  bodyEn: r.body_en,
  media: r.media_kind && r.media_url ? { kind: r.media_kind, url: r.media_url } : null,
  attachmentRef: r.attachment_ref,
  estimatedMinutes: r.estimated_minutes,
  isFreePreview: r.is_free_preview,
  position: r.position,
});

const LESSON_COLUMNS = sql`id, chapter_id, course_id, title_zh, title_en, body_zh, body_en, media_kind, media_url, attachment_ref, estimated_minutes, is_free_preview, position`;

/** SET assignments for the lesson fields a patch carries; absent fields stay as they are. */
function lessonAssignments(patch: Partial<LessonInput> & { chapterId?: string }): SQL[] {
  const set: SQL[] = [];
  if (patch.chapterId !== undefined) set.push(sql`chapter_id = ${patch.chapterId}::uuid`);
  if (patch.titleZh !== undefined) set.push(sql`title_zh = ${patch.titleZh}`);
  if (patch.titleEn !== undefined) set.push(sql`title_en = ${patch.titleEn}`);
  if (patch.bodyZh !== undefined) set.push(sql`body_zh = ${patch.bodyZh}`);
  if (patch.bodyEn !== undefined) set.push(sql`body_en = ${patch.bodyEn}`);
  if (patch.media !== undefined) set.push(sql`media_kind = ${patch.media?.kind ?? null}`, sql`media_url = ${patch.media?.url ?? null}`);
  if (patch.attachmentRef !== undefined) set.push(sql`attachment_ref = ${patch.attachmentRef}`);
  if (patch.estimatedMinutes !== undefined) set.push(sql`estimated_minutes = ${patch.estimatedMinutes}`);
  if (patch.isFreePreview !== undefined) set.push(sql`is_free_preview = ${patch.isFreePreview}`);
  if (patch.position !== undefined) set.push(sql`position = ${patch.position}`);
  return set;
}

/**
 * `(follower_id, course_id, finished_at)` for every course a follower finished: each lesson the
 * course has now, completed (the rule of core/learning progressOf). `where` narrows the
 * `lesson_complete` events read (alias `ev`), e.g. to one follower.
 */
export function finishedCoursesSql(where: SQL): SQL {
  return sql`SELECT ev.follower_id, l.course_id, max(ev.occurred_at) AS finished_at FROM events ev
    JOIN course_lessons l ON l.id::text = ev.payload->>'lessonId' AND l.course_id = ev.course_id
    WHERE ev.kind = 'lesson_complete' ${where}
    GROUP BY ev.follower_id, l.course_id
    HAVING count(DISTINCT l.id) = (SELECT count(*) FROM course_lessons c WHERE c.course_id = l.course_id)`;
}

/**
 * Course content (chapters, lessons) for editors and learners, enrolments (active entitlements)
 * and learning events, in raw SQL like the other repositories.
 */
export class PgLearningRepository implements LearningRepository, CourseContentRepository, LearningReportRepository {
  constructor(private readonly db: Db) {}

  async outline(courseId: string): Promise<CourseOutline> {
    const [chapters, lessons] = await Promise.all([
      queryRows<ChapterRow>(this.db, sql`SELECT id, course_id, title_zh, title_en, position FROM course_chapters WHERE course_id = ${courseId}::uuid ORDER BY position, created_at, id`),
      queryRows<LessonRow>(this.db, sql`SELECT ${LESSON_COLUMNS} FROM course_lessons WHERE course_id = ${courseId}::uuid ORDER BY position, created_at, id`),
    ]);
    return { courseId, chapters: chapters.map((c) => ({ ...toChapter(c), lessons: lessons.filter((l) => l.chapter_id === c.id).map(toLesson) })) };
  }

  async findChapter(chapterId: string): Promise<Chapter | null> {
    const [row] = await queryRows<ChapterRow>(this.db, sql`SELECT id, course_id, title_zh, title_en, position FROM course_chapters WHERE id = ${chapterId}::uuid`);
    return row ? toChapter(row) : null;
  }

  async findLesson(lessonId: string): Promise<Lesson | null> {
    const [row] = await queryRows<LessonRow>(this.db, sql`SELECT ${LESSON_COLUMNS} FROM course_lessons WHERE id = ${lessonId}::uuid`);
    return row ? toLesson(row) : null;
  }

  async enrolments(followerId: string): Promise<Enrolment[]> {
    const rows = await queryRows<{ course_id: string; granted_at: unknown }>(
      this.db,
      sql`SELECT course_id, granted_at FROM entitlements WHERE follower_id = ${followerId}::uuid AND revoked_at IS NULL ORDER BY granted_at DESC`,
    );
    return rows.map((r) => ({ courseId: r.course_id, followerId, enrolledAt: toDate(r.granted_at) }));
  }

  async enrolment(followerId: string, courseId: string): Promise<Enrolment | null> {
    const [row] = await queryRows<{ granted_at: unknown }>(
      this.db,
      sql`SELECT granted_at FROM entitlements WHERE follower_id = ${followerId}::uuid AND course_id = ${courseId}::uuid AND revoked_at IS NULL`,
    );
    return row ? { courseId, followerId, enrolledAt: toDate(row.granted_at) } : null;
  }

  async activity(followerId: string, since?: Date): Promise<LearningActivity[]> {
    const rows = await queryRows<{ kind: LearningActivity['kind']; course_id: string | null; lesson_id: string | null; occurred_at: unknown }>(
      this.db,
      sql`SELECT kind, course_id, payload->>'lessonId' AS lesson_id, occurred_at FROM events
          WHERE follower_id = ${followerId}::uuid AND kind IN ('lesson_complete', 'check_in') ${since ? sql`AND occurred_at >= ${tsParam(since)}` : sql``}
          ORDER BY occurred_at, id`,
    );
    return rows.map((r) => ({ kind: r.kind, courseId: r.course_id, lessonId: r.lesson_id, occurredAt: toDate(r.occurred_at) }));
  }

  async courseLearners(courseId: string): Promise<CourseLearner[]> {
    const rows = await queryRows<{ follower_id: string; display_name: string | null; granted_at: unknown; completed: string[]; last_activity_at: unknown }>(
      this.db,
      sql`SELECT e.follower_id, f.display_name, e.granted_at,
                 (SELECT coalesce(json_agg(DISTINCT ev.payload->>'lessonId'), '[]') FROM events ev
                  WHERE ev.follower_id = e.follower_id AND ev.course_id = e.course_id AND ev.kind = 'lesson_complete' AND ev.payload ? 'lessonId') AS completed,
                 (SELECT max(ev.occurred_at) FROM events ev
                  WHERE ev.follower_id = e.follower_id AND ev.course_id = e.course_id AND ev.kind IN ('lesson_open', 'lesson_complete', 'check_in')) AS last_activity_at
          FROM entitlements e JOIN followers f ON f.id = e.follower_id
          WHERE e.course_id = ${courseId}::uuid AND e.revoked_at IS NULL
          ORDER BY e.granted_at, e.follower_id`,
    );
    return rows.map((r) => ({
      followerId: r.follower_id,
      displayName: r.display_name,
      enrolledAt: toDate(r.granted_at),
      completedLessonIds: r.completed,
      lastActivityAt: toDateOrNull(r.last_activity_at),
    }));
  }

  async createChapter(courseId: string, input: ChapterInput): Promise<Chapter> {
    const position = input.position === undefined ? sql`(SELECT coalesce(max(position) + 1, 0) FROM course_chapters WHERE course_id = ${courseId}::uuid)` : sql`${input.position}`;
    const [row] = await queryRows<ChapterRow>(
      this.db,
      sql`INSERT INTO course_chapters (course_id, title_zh, title_en, position) VALUES (${courseId}::uuid, ${input.titleZh}, ${input.titleEn}, ${position})
          RETURNING id, course_id, title_zh, title_en, position`,
    );
    return toChapter(row!);
  }

  async updateChapter(chapterId: string, patch: ChapterPatch): Promise<Chapter | null> {
    const set: SQL[] = [sql`updated_at = now()`];
    if (patch.titleZh !== undefined) set.push(sql`title_zh = ${patch.titleZh}`);
    if (patch.titleEn !== undefined) set.push(sql`title_en = ${patch.titleEn}`);
    if (patch.position !== undefined) set.push(sql`position = ${patch.position}`);
    const [row] = await queryRows<ChapterRow>(
      this.db,
      sql`UPDATE course_chapters SET ${sql.join(set, sql`, `)} WHERE id = ${chapterId}::uuid RETURNING id, course_id, title_zh, title_en, position`,
    );
    return row ? toChapter(row) : null;
  }

  async deleteChapter(chapterId: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(this.db, sql`DELETE FROM course_chapters WHERE id = ${chapterId}::uuid RETURNING id`);
    return rows.length > 0;
  }

  async createLesson(chapterId: string, input: LessonInput): Promise<Lesson> {
    const position = input.position === undefined ? sql`(SELECT coalesce(max(position) + 1, 0) FROM course_lessons WHERE chapter_id = ${chapterId}::uuid)` : sql`${input.position}`;
    const [row] = await queryRows<LessonRow>(
      this.db,
      sql`INSERT INTO course_lessons (chapter_id, course_id, title_zh, title_en, body_zh, body_en, media_kind, media_url, attachment_ref, estimated_minutes, is_free_preview, position)
          SELECT c.id, c.course_id, ${input.titleZh}, ${input.titleEn}, ${input.bodyZh}, ${input.bodyEn}, ${input.media?.kind ?? null}, ${input.media?.url ?? null},
                 ${input.attachmentRef}, ${input.estimatedMinutes}, ${input.isFreePreview}, ${position}
          FROM course_chapters c WHERE c.id = ${chapterId}::uuid
          RETURNING ${LESSON_COLUMNS}`,
    );
    if (!row) throw new Error(`chapter ${chapterId} does not exist`);
    return toLesson(row);
  }

  async updateLesson(lessonId: string, patch: Partial<LessonInput> & { chapterId?: string }): Promise<Lesson | null> {
    const set = [sql`updated_at = now()`, ...lessonAssignments(patch)];
    const [row] = await queryRows<LessonRow>(this.db, sql`UPDATE course_lessons SET ${sql.join(set, sql`, `)} WHERE id = ${lessonId}::uuid RETURNING ${LESSON_COLUMNS}`);
    return row ? toLesson(row) : null;
  }

  async deleteLesson(lessonId: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(this.db, sql`DELETE FROM course_lessons WHERE id = ${lessonId}::uuid RETURNING id`);
    return rows.length > 0;
  }
}
