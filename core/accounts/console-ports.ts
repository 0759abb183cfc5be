import type { Course, CourseStatus, Currency, NewCourse } from '../catalog/course.js';
import type { CourseContentRepository } from '../learning/learning-ports.js';
import type { Page } from '../ports/repositories.js';
import type { AccountRepositories } from './ports.js';
import type { Coupon } from '../commerce/coupon.js';

export interface CourseAdminQuery {
  page: number;
  pageSize: number;
  status?: CourseStatus;
  search?: string;
  /** Only this creator's courses (creators never see the filter lifted). */
  creatorId?: string;
}

export type CoursePatch = Partial<Omit<NewCourse, 'slug' | 'creatorId'>>;

/**
 * Course editing for the console.
 *
 * @example
 * const course = await courses.create({ ...input, creatorId: principal.id });
 */
export interface CourseAdminRepository {
  list(query: CourseAdminQuery): Promise<Page<Course>>;
  findById(id: string): Promise<Course | null>;
  create(input: NewCourse): Promise<Course>;
  update(id: string, patch: CoursePatch): Promise<Course | null>;
}

export type NewCoupon = Omit<Coupon, 'id' | 'redeemedCount' | 'isActive' | 'createdAt'>;

/** How a coupon has been used: orders by redemption state, and money paid and given off per currency. */
export interface CouponUsage {
  reserved: number;
  redeemed: number;
  released: number;
  /** Paid orders that used it, per currency (never summed across currencies). */
  revenue: { currency: Currency; amountMinor: number; discountMinor: number; orders: number }[];
}

/**
 * Discount codes: of one course, or of all a creator's courses.
 *
 * @example
 * await coupons.insert({ courseId, creatorId, code: 'SPRING20', name: '', codeKind: 'single', percentOff: 20, amountOffMinor: null, currency: null,
 *   amountOffStars: null, validFrom: null, validUntil: null, maxRedemptions: 100, perFollowerLimit: 1 });
 */
export interface CouponRepository {
  insert(coupon: NewCoupon): Promise<Coupon>;
  /** Coupons with their usage; `creatorId`: only those of this creator (their own or on their courses). */
  listWithUsage(filter: { creatorId?: string }): Promise<Array<Coupon & { usage: CouponUsage }>>;
  listForCourse(courseId: string): Promise<Coupon[]>;
  findById(id: string): Promise<Coupon | null>;
  setActive(id: string, isActive: boolean): Promise<Coupon | null>;
  /** The follower's own code of a per-follower coupon, issued once (the same code every time). */
  issueCode(couponId: string, followerId: string, code: string): Promise<string>;
}

export interface FollowerSummary {
  id: string;
  displayName: string | null;
  locale: string;
  identities: { kind: string; externalId: string }[];
  eventCount: number;
  lastSeenAt: Date | null;
  createdAt: Date;
  isOptedOut: boolean;
  hasMarketingConsent: boolean;
  /** Paid orders, and what they paid per currency (never summed across currencies). */
  paidOrders: number;
  spent: { currency: Currency; amountMinor: number }[];
}

/** How the console pages, filters and sorts the followers list. */
export interface FollowerSearchQuery {
  q?: string;
  page: number;
  pageSize: number;
  /** Only followers with an identity on this platform. */
  platform?: 'telegram' | 'wechat' | 'miniprogram';
  /** `consented`: accepts marketing and has not opted out; `opted_out`; `buyers`: at least one paid order. */
  audience?: 'consented' | 'opted_out' | 'buyers';
  locale?: 'zh-CN' | 'en';
  sort?: 'last_seen' | 'first_seen' | 'events' | 'orders' | 'name';
  order?: 'asc' | 'desc';
}

export interface TimelineEvent {
  id: number;
  kind: string;
  platform: string;
  courseId: string | null;
  /** The course's titles when the event names one, so the console can say what was viewed or bought. */
  courseTitleZh: string | null;
  courseTitleEn: string | null;
  payload: unknown;
  occurredAt: Date;
}

/** Everything stored about one follower (PIPL/GDPR export). */
export interface FollowerDataExport {
  follower: Record<string, unknown>;
  identities: Record<string, unknown>[];
  events: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  entitlements: Record<string, unknown>[];
  /** Messages sent to them (send log), marketing queued or sent to them, and chat replies not yet sent. */
  sends: Record<string, unknown>[];
  outbox: Record<string, unknown>[];
  replyQueue: Record<string, unknown>[];
  /** Hand-offs to a person, each with the staff replies sent in it. */
  handoffs: Record<string, unknown>[];
  /** What the chat remembers of the last turns (list shown, course in focus, open question); null when nothing. */
  dialogMemory: Record<string, unknown> | null;
  /** Lesson reminders sent or planned for them. */
  lessonReminders: Record<string, unknown>[];
  /** The segment the campaigns last computed for them (lifecycle stage, interests); null before the first refresh. */
  segment: Record<string, unknown> | null;
  /** Risk control's view of them: the current case (null when never flagged), every decision with its reasons, and held checkouts. */
  risk: { case: Record<string, unknown> | null; decisions: Record<string, unknown>[]; heldOrders: Record<string, unknown>[] };
  /** Purchase propensity and churn risk from the last scoring run; null when not scored. */
  scores: Record<string, unknown> | null;
  /**
   * Referrals: their own code, who referred them, how many they referred (not who: that is the
   * others' data), the creators who approved them as distributor, and their commission ledger.
   */
  referrals: { code: string | null; referredBy: Record<string, unknown> | null; referredCount: number; distributorships: Record<string, unknown>[]; commissions: Record<string, unknown>[] };
  /** Course lists shown to them while they were in a recommender experiment: which experiment and variant, the courses, where and when. */
  recommendationExposures: Record<string, unknown>[];
}

/**
 * Follower search, timelines, export and deletion for the console.
 *
 * @example
 * const page = await followers.search({ q: 'alice', page: 1, pageSize: 20 });
 */
export interface FollowerAdminRepository {
  search(query: FollowerSearchQuery): Promise<Page<FollowerSummary>>;
  timeline(followerId: string, query: { before?: Date; limit: number }): Promise<TimelineEvent[]>;
  exportData(followerId: string): Promise<FollowerDataExport | null>;
  /**
   * Erases the follower: their identities, events, entitlements, send logs, queued messages and
   * unpaid orders go; paid and refunded orders stay for accounting without the follower link; the
   * audit log names them by a one-way pseudonym. False when absent.
   */
  delete(followerId: string): Promise<boolean>;
}

/**
 * Named JSON settings documents.
 *
 * @example
 * await settings.put('consent_texts', { zh: '…', en: '…' }, 'account:…');
 */
export interface SettingsRepository {
  get(key: string): Promise<unknown>;
  getAll(): Promise<Record<string, { value: unknown; updatedAt: Date; updatedBy: string | null }>>;
  put(key: string, value: unknown, actor: string): Promise<void>;
}

export interface DashboardRange {
  from: Date;
  to: Date;
  /**
   * A creator's own courses: every figure is then about them only — followers are those who
   * touched one of these courses (an event or an order), revenue and courses are theirs. Absent: everything.
   */
  courseIds?: string[];
}

/** The funnel's steps in order; each counts followers who got at least that far, so each is a subset of the one before. */
export const FUNNEL_STEPS = ['active', 'engaged', 'viewed', 'checkout', 'purchase'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export interface DashboardData {
  followersByDay: { day: string; platform: string; newFollowers: number; total: number }[];
  /**
   * Followers active in the range, then those of them who got at least as far as each later step
   * (a buyer counts as having viewed and checked out); `rate` is the share of the step before.
   */
  funnel: { step: FunnelStep; followers: number; rate: number | null }[];
  revenueByDay: { day: string; currency: Currency; amountMinor: number; orders: number }[];
  revenueByCourse: { courseId: string; titleZh: string; titleEn: string; currency: Currency; amountMinor: number; orders: number }[];
  conversionBySegment: { platform: string; locale: string; followers: number; buyers: number; rate: number }[];
  /** Revenue per currency, never summed across currencies. */
  topCourses: { courseId: string; titleZh: string; titleEn: string; views: number; purchases: number; revenue: { currency: Currency; amountMinor: number }[] }[];
}

/**
 * Read-only aggregates over events and orders for the dashboard.
 *
 * @example
 * const data = await dashboard.load({ from: new Date('2025-01-01'), to: new Date() });
 */
export interface DashboardQueries {
  load(range: DashboardRange): Promise<DashboardData>;
}

/** Every console repository plus the audit log, over one transaction. */
export interface ConsoleRepositories extends AccountRepositories {
  courses: CourseAdminRepository;
  /** Chapters and lessons. */
  content: CourseContentRepository;
  coupons: CouponRepository;
  followers: FollowerAdminRepository;
  settings: SettingsRepository;
}

/**
 * Runs a console change and its audit entry in one transaction.
 *
 * @example
 * await uow.run(async (r) => { await r.settings.put('quiet_hours', value, actor); await r.audit.record({...}); });
 */
export interface ConsoleUnitOfWork {
  run<T>(work: (repos: ConsoleRepositories) => Promise<T>): Promise<T>;
}

export type { CourseStatus };
