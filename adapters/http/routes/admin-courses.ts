import { Router } from 'express';
import { z } from 'zod';
import {
  canManageCourse,
  COUPON_CODE_KINDS,
  channelPricesSchema,
  courseCoverUrlSchema,
  COURSE_STATUSES,
  courseInputSchema,
  coursePacingSchema,
  coursePrices,
  CURRENCIES,
  NotFoundError,
  priceFieldsOf,
  telegramChatIdSchema,
  type ConsoleRepositories,
  type ConsoleUnitOfWork,
  type Course,
  type Principal,
} from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { HttpError } from '../errors.js';
import { idParam, pageQuery } from './pagination.js';

export const adminCourseQuery = pageQuery.extend({
  status: z.enum(COURSE_STATUSES).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  creatorId: z.uuid().optional(),
});

const pricesField = channelPricesSchema.meta({
  description: 'Prices per channel in major units, as typed: {"wechat":{"amount":"49.90","currency":"CNY"},"telegram":{"amount":"49","currency":"XTR"}}. Stored in minor units (4990 fen, 49 Stars).',
});

/** A new course; prices in major units under `prices` (or, for scripts, `priceMinor` in minor units). */
export const createCourseBody = courseInputSchema
  .extend({ priceMinor: courseInputSchema.shape.priceMinor.optional(), prices: pricesField.optional() })
  .superRefine((v, ctx) => {
    if (v.priceMinor === undefined && !v.prices?.wechat) ctx.addIssue({ code: 'custom', path: ['prices', 'wechat', 'amount'], message: 'enter the price on WeChat and the mini-program' });
  })
  .transform(({ prices, ...course }) => ({ ...course, priceMinor: course.priceMinor ?? 0, ...(prices ? priceFieldsOf(prices) : {}) }));

export const updateCourseBody = z
  .object({
    titleZh: z.string().min(1).max(200),
    titleEn: z.string().min(1).max(200),
    descriptionZh: z.string().max(5000),
    descriptionEn: z.string().max(5000),
    tags: z.array(z.string().min(1).max(40)).max(20),
    priceMinor: z.number().int().nonnegative(),
    currency: z.enum(CURRENCIES),
    priceStars: z.number().int().positive().nullable(),
    prices: pricesField,
    status: z.enum(COURSE_STATUSES),
    coverUrl: courseCoverUrlSchema,
    teacherName: z.string().trim().max(100),
    pacing: coursePacingSchema,
    telegramChatId: telegramChatIdSchema,
    nextCourseId: z.uuid({ message: 'nextCourseId must be the id (UUID) of the course that comes after this one' }).nullable()
      .meta({ description: 'The course that comes after this one in its series or level path (one of your own courses), offered by `pick: "next_in_path"`; null removes the link' }),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'send at least one field to change' })
  .transform(({ prices, ...patch }) => ({ ...patch, ...(prices ? priceFieldsOf(prices) : {}) }));

/** A course as the console edits it: every stored field plus its prices per channel in major units. */
export function toAdminCourse(course: Course) {
  return { ...course, prices: coursePrices(course) };
}

const couponDate = z.iso.datetime({ offset: true, message: 'use an ISO date-time such as 2026-12-31T23:59:00+08:00' }).nullable().default(null).transform((v) => (v ? new Date(v) : null));

export const createCouponBody = z
  .object({
    code: z.string().trim().toUpperCase().regex(/^[A-Z0-9_-]{3,32}$/, 'use 3–32 letters, digits, _ or -'),
    name: z.string().trim().max(100).default(''),
    codeKind: z.enum(COUPON_CODE_KINDS).default('single').meta({ description: 'single: one shared code; per_follower: each follower gets their own code; automatic: a limited-time price without a code' }),
    percentOff: z.number().int().min(1).max(100).nullable().default(null),
    amountOffMinor: z.number().int().positive().nullable().default(null).meta({ description: 'A fixed amount off in minor units (fen) of `currency`' }),
    currency: z.enum(['CNY', 'USD']).nullable().default(null),
    amountOffStars: z.number().int().positive().nullable().default(null).meta({ description: 'The fixed amount off on Telegram, in Stars; without it the yuan amount is converted at the course\'s own ratio' }),
    maxRedemptions: z.number().int().positive().nullable().default(null),
    perFollowerLimit: z.number().int().positive().max(1000).default(1),
    validFrom: couponDate,
    validUntil: couponDate,
  })
  .refine((v) => (v.percentOff === null) !== (v.amountOffMinor === null && v.amountOffStars === null), { message: 'give exactly one of percentOff or amountOffMinor (with currency) / amountOffStars' })
  .refine((v) => v.amountOffMinor === null || v.currency !== null, { message: 'a fixed amount off needs its currency', path: ['currency'] })
  .refine((v) => !v.validFrom || !v.validUntil || v.validFrom < v.validUntil, { message: 'validUntil must be after validFrom', path: ['validUntil'] })
  .refine((v) => v.codeKind !== 'automatic' || v.validUntil !== null, { message: 'a limited-time price needs its end (validUntil), shown to followers', path: ['validUntil'] });

export const updateCouponBody = z.object({ isActive: z.boolean() });

/** A unique constraint was violated (PostgreSQL 23505), whichever driver wrapped it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Checks the course a creator names as the next one in a path: it exists, the caller may manage it
 * (a creator links only their own courses), and it is not the course itself.
 */
async function assertNextCourse(repos: ConsoleRepositories, principal: Principal, courseId: string | null, nextCourseId: string | null | undefined): Promise<void> {
  if (!nextCourseId) return;
  if (nextCourseId === courseId) throw new HttpError(400, 'next_course_is_itself', 'A course cannot come after itself; choose another course as the next one.');
  const next = await repos.courses.findById(nextCourseId);
  if (!next) throw new HttpError(400, 'next_course_not_found', `No course with id ${nextCourseId} to come next; choose one of your courses.`);
  if (!canManageCourse(principal, next.creatorId)) throw new HttpError(403, 'forbidden', 'The next course belongs to another creator; link only your own courses.');
}

export async function courseFor(repos: ConsoleRepositories, principal: Principal, id: string): Promise<Course> {
  const course = await repos.courses.findById(id);
  if (!course) throw new NotFoundError('course_not_found', `No course with id ${id}.`);
  if (!canManageCourse(principal, course.creatorId)) throw new HttpError(403, 'forbidden', 'This course belongs to another creator.');
  return course;
}

/**
 * `/courses` for the console: list (creators see their own), create, edit (prices included),
 * archive, and coupons. Every change is audited in its transaction.
 */
export function createAdminCoursesRouter(deps: { uow: ConsoleUnitOfWork }): Router {
  const router = Router();

  router.get('/courses', async (req, res) => {
    const principal = principalOf(req);
    const query = adminCourseQuery.parse(req.query);
    const creatorId = principal.role === 'admin' ? query.creatorId : (principal.id ?? undefined);
    const page = await deps.uow.run((r) => r.courses.list({ page: query.page, pageSize: query.pageSize, status: query.status, search: query.q, creatorId }));
    res.json({ ...page, items: page.items.map(toAdminCourse) });
  });

  router.get('/courses/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    res.json(toAdminCourse(await deps.uow.run((r) => courseFor(r, principalOf(req), id))));
  });

  router.post('/courses', async (req, res) => {
    const principal = principalOf(req);
    const body = createCourseBody.parse(req.body);
    const input = principal.role === 'admin' ? body : { ...body, creatorId: principal.id };
    try {
      const course = await deps.uow.run(async (r) => {
        await assertNextCourse(r, principal, null, input.nextCourseId);
        const created = await r.courses.create(input);
        await r.audit.record({ actor: principal.actor, action: 'course.create', subjectType: 'course', subjectId: created.id, details: { slug: created.slug, priceMinor: created.priceMinor, currency: created.currency } });
        return created;
      });
      res.status(201).json(toAdminCourse(course));
    } catch (error) {
      if (isUniqueViolation(error)) throw new HttpError(409, 'slug_taken', `A course with slug "${body.slug}" already exists; choose another slug.`);
      throw error;
    }
  });

  router.patch('/courses/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const principal = principalOf(req);
    const body = updateCourseBody.parse(req.body);
    const course = await deps.uow.run(async (r) => {
      const before = await courseFor(r, principal, id);
      await assertNextCourse(r, principal, id, body.nextCourseId);
      const updated = (await r.courses.update(id, body))!;
      const changed = Object.fromEntries(Object.keys(body).map((k) => [k, { from: before[k as keyof Course], to: updated[k as keyof Course] }]));
      await r.audit.record({ actor: principal.actor, action: 'course.update', subjectType: 'course', subjectId: id, details: { changed } });
      return updated;
    });
    res.json(toAdminCourse(course));
  });

  router.post('/courses/:id/archive', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const principal = principalOf(req);
    const course = await deps.uow.run(async (r) => {
      const before = await courseFor(r, principal, id);
      const updated = (await r.courses.update(id, { status: 'archived' }))!;
      await r.audit.record({ actor: principal.actor, action: 'course.archive', subjectType: 'course', subjectId: id, details: { from: before.status } });
      return updated;
    });
    res.json(toAdminCourse(course));
  });

  router.get('/courses/:id/coupons', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const items = await deps.uow.run(async (r) => {
      await courseFor(r, principalOf(req), id);
      return r.coupons.listForCourse(id);
    });
    res.json({ items, total: items.length, page: 1, pageSize: items.length });
  });

  router.post('/courses/:id/coupons', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const principal = principalOf(req);
    const body = createCouponBody.parse(req.body);
    try {
      const coupon = await deps.uow.run(async (r) => {
        const course = await courseFor(r, principal, id);
        const created = await r.coupons.insert({ ...body, courseId: id, creatorId: course.creatorId });
        await r.audit.record({ actor: principal.actor, action: 'coupon.create', subjectType: 'coupon', subjectId: created.id, details: { courseId: id, code: created.code } });
        return created;
      });
      res.status(201).json(coupon);
    } catch (error) {
      if (isUniqueViolation(error)) throw new HttpError(409, 'coupon_code_taken', `This course already has a coupon ${body.code}.`);
      throw error;
    }
  });

  router.patch('/courses/:id/coupons/:couponId', async (req, res) => {
    const { id, couponId } = z.object({ id: z.uuid(), couponId: z.uuid() }).parse(req.params);
    const principal = principalOf(req);
    const body = updateCouponBody.parse(req.body);
    const coupon = await deps.uow.run(async (r) => {
      await courseFor(r, principal, id);
      const existing = await r.coupons.findById(couponId);
      if (!existing || existing.courseId !== id) throw new NotFoundError('coupon_not_found', `No coupon ${couponId} on course ${id}.`);
      const updated = (await r.coupons.setActive(couponId, body.isActive))!;
      await r.audit.record({ actor: principal.actor, action: body.isActive ? 'coupon.activate' : 'coupon.deactivate', subjectType: 'coupon', subjectId: couponId, details: { courseId: id } });
      return updated;
    });
    res.json(coupon);
  });

  return router;
}
