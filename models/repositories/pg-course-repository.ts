import { and, arrayContains, count, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { Course, CoursePacing, CourseQuery, CourseRepository, Currency, CourseStatus, NewCourse, Page } from '../../core/index.js';
import type { Db } from '../database.js';
import { courses } from '../schema.js';

type CourseRow = typeof courses.$inferSelect;

export function toCourse(row: CourseRow): Course {
  return {
    id: row.id,
    slug: row.slug,
    titleZh: row.titleZh,
    titleEn: row.titleEn,
    descriptionZh: row.descriptionZh,
    descriptionEn: row.descriptionEn,
    tags: row.tags,
    priceMinor: row.priceMinor,
    currency: row.currency as Currency,
    priceStars: row.priceStars,
    status: row.status as CourseStatus,
    creatorId: row.creatorId,
    coverUrl: row.coverUrl,
    teacherName: row.teacherName,
    pacing: pacingOf(row),
    telegramChatId: row.telegramChatId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function pacingOf(row: CourseRow): CoursePacing {
  // The table's courses_pacing_settings constraint guarantees each pacing's settings are present.
  if (row.pacing === 'drip') return { kind: 'drip', everyDays: row.dripEveryDays! };
  if (row.pacing === 'cohort') return { kind: 'cohort', startsAt: row.cohortStartsAt!, enrolmentClosesAt: row.enrolmentClosesAt };
  return { kind: 'self_paced' };
}

/** The pacing as the courses table stores it: a kind and the settings columns, the others null. */
export function pacingColumns(pacing: CoursePacing) {
  return {
    pacing: pacing.kind,
    dripEveryDays: pacing.kind === 'drip' ? pacing.everyDays : null,
    cohortStartsAt: pacing.kind === 'cohort' ? pacing.startsAt : null,
    enrolmentClosesAt: pacing.kind === 'cohort' ? pacing.enrolmentClosesAt : null,
  };
}

/** Course fields as table columns (pacing flattened); fields not given stay out. */
export function courseColumns<T extends Partial<NewCourse>>(course: T) {
  const { pacing, ...rest } = course;
  return { ...rest, ...(pacing ? pacingColumns(pacing) : {}) };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class PgCourseRepository implements CourseRepository {
  constructor(private readonly db: Db) {}

  async list(query: CourseQuery): Promise<Page<Course>> {
    const filters: SQL[] = [];
    if (query.status) filters.push(eq(courses.status, query.status));
    if (query.tag) filters.push(arrayContains(courses.tags, [query.tag]));
    if (query.search) {
      const pattern = `%${escapeLike(query.search)}%`;
      filters.push(or(ilike(courses.titleZh, pattern), ilike(courses.titleEn, pattern), ilike(courses.descriptionZh, pattern), ilike(courses.descriptionEn, pattern))!);
    }
    const where = filters.length ? and(...filters) : undefined;
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(courses)
        .where(where)
        .orderBy(desc(courses.createdAt), courses.slug)
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
      this.db.select({ n: count() }).from(courses).where(where),
    ]);
    return { items: rows.map(toCourse), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
  }

  async findById(id: string): Promise<Course | null> {
    const [row] = await this.db.select().from(courses).where(eq(courses.id, id));
    return row ? toCourse(row) : null;
  }

  async findBySlug(slug: string): Promise<Course | null> {
    const [row] = await this.db.select().from(courses).where(eq(courses.slug, slug));
    return row ? toCourse(row) : null;
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.select({ id: courses.id }).from(courses).where(inArray(courses.id, [...ids]));
    return new Set(rows.map((r) => r.id));
  }

  async insertMissing(newCourses: readonly NewCourse[]): Promise<number> {
    if (newCourses.length === 0) return 0;
    const inserted = await this.db
      .insert(courses)
      .values(newCourses.map((c) => courseColumns(c)))
      .onConflictDoNothing({ target: courses.slug })
      .returning({ id: courses.id });
    return inserted.length;
  }
}
