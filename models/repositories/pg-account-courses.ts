import { and, count, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Coupon, CouponRepository, Course, CourseAdminQuery, CourseAdminRepository, CoursePatch, NewCourse, Page } from '../../core/index.js';
import { coupons } from '../accounts-schema.js';
import type { Db } from '../database.js';
import { courses } from '../schema.js';
import { courseColumns, toCourse } from './pg-course-repository.js';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class PgCourseAdminRepository implements CourseAdminRepository {
  constructor(private readonly db: Db) {}

  async list(query: CourseAdminQuery): Promise<Page<Course>> {
    const filters: SQL[] = [];
    if (query.status) filters.push(eq(courses.status, query.status));
    if (query.creatorId) filters.push(eq(courses.creatorId, query.creatorId));
    if (query.search) {
      const pattern = `%${escapeLike(query.search)}%`;
      filters.push(or(ilike(courses.titleZh, pattern), ilike(courses.titleEn, pattern), ilike(courses.slug, pattern))!);
    }
    const where = filters.length ? and(...filters) : undefined;
    const [rows, [total]] = await Promise.all([
      this.db.select().from(courses).where(where).orderBy(desc(courses.createdAt), courses.slug).limit(query.pageSize).offset((query.page - 1) * query.pageSize),
      this.db.select({ n: count() }).from(courses).where(where),
    ]);
    return { items: rows.map(toCourse), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
  }

  async findById(id: string): Promise<Course | null> {
    const [row] = await this.db.select().from(courses).where(eq(courses.id, id));
    return row ? toCourse(row) : null;
  }

  async create(input: NewCourse): Promise<Course> {
    const [row] = await this.db.insert(courses).values(courseColumns(input)).returning();
    return toCourse(row!);
  }

  async update(id: string, patch: CoursePatch): Promise<Course | null> {
    const [row] = await this.db.update(courses).set({ ...courseColumns(patch), updatedAt: sql`now()` }).where(eq(courses.id, id)).returning();
    return row ? toCourse(row) : null;
  }
}

type CouponRow = typeof coupons.$inferSelect;
const toCoupon = (row: CouponRow): Coupon => ({ ...row });

export class PgCouponRepository implements CouponRepository {
  constructor(private readonly db: Db) {}

  async insert(coupon: Omit<Coupon, 'id' | 'redeemedCount' | 'isActive' | 'createdAt'>): Promise<Coupon> {
    const [row] = await this.db.insert(coupons).values(coupon).returning();
    return toCoupon(row!);
  }

  async listForCourse(courseId: string): Promise<Coupon[]> {
    const rows = await this.db.select().from(coupons).where(eq(coupons.courseId, courseId)).orderBy(desc(coupons.createdAt));
    return rows.map(toCoupon);
  }

  async findById(id: string): Promise<Coupon | null> {
    const [row] = await this.db.select().from(coupons).where(eq(coupons.id, id));
    return row ? toCoupon(row) : null;
  }

  async setActive(id: string, isActive: boolean): Promise<Coupon | null> {
    const [row] = await this.db.update(coupons).set({ isActive }).where(eq(coupons.id, id)).returning();
    return row ? toCoupon(row) : null;
  }
}
