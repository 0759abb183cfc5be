import { sql, type SQL } from 'drizzle-orm';
import type { Course, CourseAdminQuery, CourseAdminRepository, CoursePatch, NewCourse, Page } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { COURSE_COLUMNS, courseAssignments, courseInsert, escapeLike, pageOfCourses, toCourse, type CourseRow } from './pg-course-repository.js';

export class PgCourseAdminRepository implements CourseAdminRepository {
  constructor(private readonly db: Db) {}

  async list(query: CourseAdminQuery): Promise<Page<Course>> {
    const filters: SQL[] = [];
    if (query.status) filters.push(sql`status = ${query.status}`);
    if (query.creatorId) filters.push(sql`creator_id = ${query.creatorId}`);
    if (query.search) {
      const pattern = `%${escapeLike(query.search)}%`;
      filters.push(sql`(title_zh ILIKE ${pattern} OR title_en ILIKE ${pattern} OR slug ILIKE ${pattern})`);
    }
    return pageOfCourses(this.db, filters, query);
  }

  async findById(id: string): Promise<Course | null> {
    const [row] = await queryRows<CourseRow>(this.db, sql`SELECT ${COURSE_COLUMNS} FROM courses WHERE id = ${id}`);
    return row ? toCourse(row) : null;
  }

  async create(input: NewCourse): Promise<Course> {
    const [row] = await queryRows<CourseRow>(this.db, sql`${courseInsert([input])} RETURNING ${COURSE_COLUMNS}`);
    return toCourse(row!);
  }

  async update(id: string, patch: CoursePatch): Promise<Course | null> {
    const set = [...courseAssignments(patch), sql`updated_at = now()`];
    const [row] = await queryRows<CourseRow>(this.db, sql`UPDATE courses SET ${sql.join(set, sql`, `)} WHERE id = ${id} RETURNING ${COURSE_COLUMNS}`);
    return row ? toCourse(row) : null;
  }
}
