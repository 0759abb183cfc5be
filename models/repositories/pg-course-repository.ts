import { sql, type SQL } from 'drizzle-orm';
import type { Course, CoursePacing, CourseQuery, CourseRepository, Currency, CourseStatus, NewCourse, Page } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray, toDate, toDateOrNull, tsParamOrNull, type PgTimestamp } from './pg-sql.js';

/** A courses row as raw SQL returns it ({@link COURSE_COLUMNS}). */
export interface CourseRow {
  id: string;
  slug: string;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  tags: string[];
  price_minor: number;
  currency: string;
  price_stars: number | null;
  status: string;
  creator_id: string | null;
  cover_url: string | null;
  teacher_name: string;
  pacing: string;
  drip_every_days: number | null;
  cohort_starts_at: PgTimestamp | null;
  enrolment_closes_at: PgTimestamp | null;
  telegram_chat_id: string | null;
  next_course_id: string | null;
  created_at: PgTimestamp;
  updated_at: PgTimestamp;
}

export const COURSE_COLUMNS = sql`id, slug, title_zh, title_en, description_zh, description_en, tags, price_minor, currency, price_stars, status, creator_id, cover_url,
  teacher_name, pacing, drip_every_days, cohort_starts_at, enrolment_closes_at, telegram_chat_id, next_course_id, created_at, updated_at`;

export function toCourse(row: CourseRow): Course {
  return {
    id: row.id,
    slug: row.slug,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
    tags: row.tags,
    priceMinor: row.price_minor,
    currency: row.currency as Currency,
    priceStars: row.price_stars,
    status: row.status as CourseStatus,
    creatorId: row.creator_id,
    coverUrl: row.cover_url,
    teacherName: row.teacher_name,
    pacing: pacingOf(row),
    telegramChatId: row.telegram_chat_id,
    nextCourseId: row.next_course_id,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function pacingOf(row: CourseRow): CoursePacing {
  // The table's courses_pacing_settings constraint guarantees each pacing's settings are present.
  if (row.pacing === 'drip') return { kind: 'drip', everyDays: row.drip_every_days! };
  if (row.pacing === 'cohort') return { kind: 'cohort', startsAt: toDate(row.cohort_starts_at), enrolmentClosesAt: toDateOrNull(row.enrolment_closes_at) };
  return { kind: 'self_paced' };
}

/** Course fields as (column, value) pairs, pacing flattened into its kind and settings columns (the others null); fields not given stay out. */
function courseFields(course: Partial<NewCourse>): Array<[column: string, value: SQL]> {
  const fields: Array<[string, SQL]> = [];
  const add = (column: string, value: unknown) => {
    if (value !== undefined) fields.push([column, sql`${value}`]);
  };
  add('slug', course.slug);
  add('title_zh', course.titleZh);
  add('title_en', course.titleEn);
  add('description_zh', course.descriptionZh);
  add('description_en', course.descriptionEn);
  if (course.tags !== undefined) fields.push(['tags', sql`${pgArray(course.tags)}::text[]`]);
  add('price_minor', course.priceMinor);
  add('currency', course.currency);
  add('price_stars', course.priceStars);
  add('status', course.status);
  add('creator_id', course.creatorId);
  add('cover_url', course.coverUrl);
  add('teacher_name', course.teacherName);
  const pacing = course.pacing;
  if (pacing) {
    add('pacing', pacing.kind);
    add('drip_every_days', pacing.kind === 'drip' ? pacing.everyDays : null);
    fields.push(['cohort_starts_at', tsParamOrNull(pacing.kind === 'cohort' ? pacing.startsAt : null)]);
    fields.push(['enrolment_closes_at', tsParamOrNull(pacing.kind === 'cohort' ? pacing.enrolmentClosesAt : null)]);
  }
  add('telegram_chat_id', course.telegramChatId);
  add('next_course_id', course.nextCourseId);
  return fields;
}

/** SET assignments for the course fields a patch carries; absent fields stay as they are. */
export function courseAssignments(patch: Partial<NewCourse>): SQL[] {
  return courseFields(patch).map(([column, value]) => sql`${sql.raw(column)} = ${value}`);
}

/** `INSERT INTO courses` with one VALUES tuple per course; a field a course lacks takes the column's default. */
export function courseInsert(newCourses: readonly Partial<NewCourse>[]): SQL {
  const rows = newCourses.map((c) => new Map(courseFields(c)));
  const columns = [...new Set(rows.flatMap((fields) => [...fields.keys()]))];
  const tuples = rows.map((fields) => sql`(${sql.join(columns.map((column) => fields.get(column) ?? sql`DEFAULT`), sql`, `)})`);
  return sql`INSERT INTO courses (${sql.raw(columns.join(', '))}) VALUES ${sql.join(tuples, sql`, `)}`;
}

export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of the courses matching all `filters`, newest first, and how many match. */
export async function pageOfCourses(db: Db, filters: SQL[], query: { page: number; pageSize: number }): Promise<Page<Course>> {
  const where = filters.length ? sql`WHERE ${sql.join(filters, sql` AND `)}` : sql``;
  const [rows, [total]] = await Promise.all([
    queryRows<CourseRow>(
      db,
      sql`SELECT ${COURSE_COLUMNS} FROM courses ${where} ORDER BY created_at DESC, slug LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    ),
    queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM courses ${where}`),
  ]);
  return { items: rows.map(toCourse), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

export class PgCourseRepository implements CourseRepository {
  constructor(private readonly db: Db) {}

  async list(query: CourseQuery): Promise<Page<Course>> {
    const filters: SQL[] = [];
    if (query.status) filters.push(sql`status = ${query.status}`);
    if (query.tag) filters.push(sql`tags @> ${pgArray([query.tag])}::text[]`);
    if (query.search) {
      const pattern = `%${escapeLike(query.search)}%`;
      filters.push(sql`(title_zh ILIKE ${pattern} OR title_en ILIKE ${pattern} OR description_zh ILIKE ${pattern} OR description_en ILIKE ${pattern})`);
    }
    return pageOfCourses(this.db, filters, query);
  }

  async findById(id: string): Promise<Course | null> {
    const [row] = await queryRows<CourseRow>(this.db, sql`SELECT ${COURSE_COLUMNS} FROM courses WHERE id = ${id}`);
    return row ? toCourse(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, Course>> {
    if (ids.length === 0) return new Map();
    const rows = await queryRows<CourseRow>(this.db, sql`SELECT ${COURSE_COLUMNS} FROM courses WHERE id = ANY(${pgArray(ids)}::uuid[])`);
    return new Map(rows.map((row) => [row.id, toCourse(row)]));
  }

  async findBySlug(slug: string): Promise<Course | null> {
    const [row] = await queryRows<CourseRow>(this.db, sql`SELECT ${COURSE_COLUMNS} FROM courses WHERE slug = ${slug}`);
    return row ? toCourse(row) : null;
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await queryRows<{ id: string }>(this.db, sql`SELECT id FROM courses WHERE id = ANY(${pgArray(ids)}::uuid[])`);
    return new Set(rows.map((r) => r.id));
  }

  async insertMissing(newCourses: readonly NewCourse[]): Promise<number> {
    if (newCourses.length === 0) return 0;
    const inserted = await queryRows<{ id: string }>(this.db, sql`${courseInsert(newCourses)} ON CONFLICT (slug) DO NOTHING RETURNING id`);
    return inserted.length;
  }
}
