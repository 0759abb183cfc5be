import { sql, type SQL } from 'drizzle-orm';
import type { Coupon, CouponRepository, Course, CourseAdminQuery, CourseAdminRepository, CoursePatch, NewCourse, Page } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { COURSE_COLUMNS, courseAssignments, courseInsert, escapeLike, pageOfCourses, toCourse, type CourseRow } from './pg-course-repository.js';
import { toDate, toDateOrNull, tsParamOrNull, type PgTimestamp } from './pg-sql.js';

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

interface CouponRow {
  id: string;
  course_id: string;
  code: string;
  percent_off: number | null;
  amount_off_minor: number | null;
  max_redemptions: number | null;
  redeemed_count: number;
  valid_until: PgTimestamp | null;
  is_active: boolean;
  created_at: PgTimestamp;
}

const COUPON_COLUMNS = sql`id, course_id, code, percent_off, amount_off_minor, max_redemptions, redeemed_count, valid_until, is_active, created_at`;

const toCoupon = (row: CouponRow): Coupon => ({
  id: row.id,
  courseId: row.course_id,
  code: row.code,
  percentOff: row.percent_off,
  amountOffMinor: row.amount_off_minor,
  maxRedemptions: row.max_redemptions,
  redeemedCount: row.redeemed_count,
  validUntil: toDateOrNull(row.valid_until),
  isActive: row.is_active,
  createdAt: toDate(row.created_at),
});

export class PgCouponRepository implements CouponRepository {
  constructor(private readonly db: Db) {}

  async insert(coupon: Omit<Coupon, 'id' | 'redeemedCount' | 'isActive' | 'createdAt'>): Promise<Coupon> {
    const [row] = await queryRows<CouponRow>(
      this.db,
      sql`INSERT INTO coupons (course_id, code, percent_off, amount_off_minor, max_redemptions, valid_until)
          VALUES (${coupon.courseId}, ${coupon.code}, ${coupon.percentOff}, ${coupon.amountOffMinor}, ${coupon.maxRedemptions}, ${tsParamOrNull(coupon.validUntil)})
          RETURNING ${COUPON_COLUMNS}`,
    );
    return toCoupon(row!);
  }

  async listForCourse(courseId: string): Promise<Coupon[]> {
    const rows = await queryRows<CouponRow>(this.db, sql`SELECT ${COUPON_COLUMNS} FROM coupons WHERE course_id = ${courseId} ORDER BY created_at DESC`);
    return rows.map(toCoupon);
  }

  async findById(id: string): Promise<Coupon | null> {
    const [row] = await queryRows<CouponRow>(this.db, sql`SELECT ${COUPON_COLUMNS} FROM coupons WHERE id = ${id}`);
    return row ? toCoupon(row) : null;
  }

  async setActive(id: string, isActive: boolean): Promise<Coupon | null> {
    const [row] = await queryRows<CouponRow>(this.db, sql`UPDATE coupons SET is_active = ${isActive} WHERE id = ${id} RETURNING ${COUPON_COLUMNS}`);
    return row ? toCoupon(row) : null;
  }
}
