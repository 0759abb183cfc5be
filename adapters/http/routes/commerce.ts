import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  canManageCourse, isTimeZone, learnersCsv, NotFoundError, ordersCsv, REVENUE_GROUPS, revenueCsv,
  type ConsoleUnitOfWork, type ExportQueries, type Principal,
} from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { HttpError } from '../errors.js';
import { createCouponBody, isUniqueViolation, updateCouponBody } from './admin-courses.js';
import { idParam } from './pagination.js';

export const newCouponBody = createCouponBody.and(
  z.object({
    courseId: z.uuid().nullable().default(null).meta({ description: 'One course; null: every course of the creator (admins: of everyone, or of `creatorId`)' }),
    creatorId: z.uuid().nullable().optional().meta({ description: 'Admins only: whose courses an all-course coupon covers' }),
  }),
);

export const issueCodeBody = z.object({ followerId: z.uuid() });

const DAY_MS = 86_400_000;

/** A foreign key was violated (PostgreSQL 23503): the row named does not exist. */
export function isForeignKeyViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23503') return true;
  }
  return false;
}

export const exportQuery = z.object({
  from: z.iso.date().optional().meta({ description: 'First day (in the time zone), default 30 days before `to`' }),
  to: z.iso.date().optional().meta({ description: 'Last day, inclusive (in the time zone), default today' }),
  timeZone: z.string().max(64).optional().meta({ description: "IANA zone; default the account's own (Asia/Shanghai)" }),
});

export const revenueQuery = exportQuery.extend({ by: z.enum(REVENUE_GROUPS).default('course') });

/** Midnight of a calendar day in a time zone, as a UTC instant. */
function startOfDay(day: string, timeZone: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  const wall = new Date(new Date(utcMidnight).toLocaleString('en-US', { timeZone })).getTime();
  const asUtc = new Date(utcMidnight.toLocaleString('en-US', { timeZone: 'UTC' })).getTime();
  return new Date(utcMidnight.getTime() - (wall - asUtc));
}

/**
 * `/coupons` (list with usage and revenue per currency, create for one course or all of a
 * creator's, switch on/off, issue a follower's own code) and `/exports/*.csv` (orders, revenue per
 * course/channel/coupon, learners) in the caller's time zone. Creators see and change only their
 * own courses' coupons and data; admins everything. Every change is audited.
 */
export function createCommerceRouter(deps: { uow: ConsoleUnitOfWork; exports: ExportQueries; now: () => Date }): Router {
  const router = Router();

  const couponFor = async (principal: Principal, id: string) => {
    const coupon = await deps.uow.run((r) => r.coupons.findById(id));
    if (!coupon) throw new NotFoundError('coupon_not_found', `No coupon ${id}.`);
    const course = coupon.courseId ? await deps.uow.run((r) => r.courses.findById(coupon.courseId!)) : null;
    const owner = course ? course.creatorId : coupon.creatorId;
    // Another creator's coupon answers as missing, so ids cannot be probed.
    if (!canManageCourse(principal, owner)) throw new NotFoundError('coupon_not_found', `No coupon ${id}.`);
    return coupon;
  };

  router.get('/coupons', async (req, res) => {
    const principal = principalOf(req);
    const items = await deps.uow.run((r) => r.coupons.listWithUsage(principal.role === 'admin' ? {} : { creatorId: principal.id ?? '' }));
    res.json({ items, total: items.length });
  });

  router.post('/coupons', async (req, res) => {
    const principal = principalOf(req);
    const body = newCouponBody.parse(req.body);
    const { courseId, creatorId: askedCreator, ...fields } = body;
    try {
      const coupon = await deps.uow.run(async (r) => {
        let creatorId: string | null;
        if (courseId) {
          const course = await r.courses.findById(courseId);
          if (!course) throw new NotFoundError('course_not_found', `No course with id ${courseId}.`);
          if (!canManageCourse(principal, course.creatorId)) throw new HttpError(403, 'forbidden', 'This course belongs to another creator.');
          creatorId = course.creatorId;
        } else if (principal.role === 'admin') {
          creatorId = askedCreator ?? null;
        } else {
          if (askedCreator && askedCreator !== principal.id) throw new HttpError(403, 'forbidden', 'A coupon for all courses covers only your own courses.');
          creatorId = principal.id;
        }
        const created = await r.coupons.insert({ ...fields, courseId, creatorId });
        await r.audit.record({ actor: principal.actor, action: 'coupon.create', subjectType: 'coupon', subjectId: created.id, details: { courseId, creatorId, code: created.code, codeKind: created.codeKind } });
        return created;
      });
      res.status(201).json(coupon);
    } catch (error) {
      if (isUniqueViolation(error)) throw new HttpError(409, 'coupon_code_taken', `A coupon ${body.code} exists already; choose another code.`);
      throw error;
    }
  });

  router.patch('/coupons/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const principal = principalOf(req);
    const body = updateCouponBody.parse(req.body);
    await couponFor(principal, id);
    const coupon = await deps.uow.run(async (r) => {
      const updated = (await r.coupons.setActive(id, body.isActive))!;
      await r.audit.record({ actor: principal.actor, action: body.isActive ? 'coupon.activate' : 'coupon.deactivate', subjectType: 'coupon', subjectId: id });
      return updated;
    });
    res.json(coupon);
  });

  router.post('/coupons/:id/codes', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const principal = principalOf(req);
    const { followerId } = issueCodeBody.parse(req.body);
    const coupon = await couponFor(principal, id);
    if (coupon.codeKind !== 'per_follower') throw new HttpError(409, 'not_per_follower', 'Only a per-follower coupon issues codes; followers type a shared code as it is.');
    const code = await deps.uow.run(async (r) => {
      const issued = await r.coupons.issueCode(id, followerId, `${coupon.code.slice(0, 20)}-${randomBytes(5).toString('hex').toUpperCase().slice(0, 8)}`);
      await r.audit.record({ actor: principal.actor, action: 'coupon.code_issued', subjectType: 'coupon', subjectId: id, details: { followerId, code: issued } });
      return issued;
    }).catch((error: unknown) => {
      if (isForeignKeyViolation(error)) throw new NotFoundError('follower_not_found', `No follower ${followerId}.`);
      throw error;
    });
    res.status(201).json({ couponId: id, followerId, code });
  });

  /** The range, time zone and course scope of an export request. */
  const scopeOf = async (principal: Principal, query: z.output<typeof exportQuery>) => {
    const timeZone = query.timeZone ?? (principal.id ? await deps.exports.accountTimeZone(principal.id) : null) ?? 'Asia/Shanghai';
    if (!isTimeZone(timeZone)) throw new HttpError(400, 'invalid_time_zone', `Unknown time zone ${timeZone}; use an IANA name such as Asia/Shanghai.`);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(deps.now());
    const toDay = query.to ?? today;
    const to = new Date(startOfDay(toDay, timeZone).getTime() + DAY_MS);
    const from = query.from ? startOfDay(query.from, timeZone) : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw new HttpError(400, 'invalid_range', '`from` must be on or before `to`.');
    if (to.getTime() - from.getTime() > 367 * DAY_MS) throw new HttpError(400, 'range_too_long', 'Export at most 366 days at once.');
    const courseIds = principal.role === 'admin' ? undefined : await deps.exports.creatorCourseIds(principal.id ?? '');
    return { from, to, timeZone, ...(courseIds ? { courseIds } : {}), fileDays: `${query.from ?? from.toISOString().slice(0, 10)}_${toDay}` };
  };

  const sendCsv = (res: Response, name: string, csv: string) => {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    res.send(csv);
  };

  router.get('/exports/orders.csv', async (req, res) => {
    const scope = await scopeOf(principalOf(req), exportQuery.parse(req.query));
    sendCsv(res, `orders_${scope.fileDays}`, ordersCsv(await deps.exports.orders(scope), scope.timeZone));
  });

  router.get('/exports/revenue.csv', async (req, res) => {
    const query = revenueQuery.parse(req.query);
    const scope = await scopeOf(principalOf(req), query);
    sendCsv(res, `revenue_by_${query.by}_${scope.fileDays}`, revenueCsv(await deps.exports.orders(scope), query.by));
  });

  router.get('/exports/learners.csv', async (req, res) => {
    const scope = await scopeOf(principalOf(req), exportQuery.parse(req.query));
    sendCsv(res, `learners_${scope.fileDays}`, learnersCsv(await deps.exports.learners(scope), scope.timeZone));
  });

  return router;
}
