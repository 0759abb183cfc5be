import type { CouponLedger } from '../commerce/coupon-ports.js';
import type { ReferralRepository } from '../referrals/referral-ports.js';
import type { Course, CourseStatus, NewCourse } from '../catalog/course.js';
import type { IdentityInput, IdentityKind, NewEvent } from '../events/event-types.js';
import type { Follower, FollowerPatch } from '../followers/follower.js';
import type { PersonaStats } from '../persona/persona-stats.js';
import type { OrderRepository } from './orders.js';

/**
 * Followers and their platform identities.
 *
 * @example
 * const { follower, isNew } = await followers.resolveIdentity({ kind: 'telegram', externalId: '42' });
 */
export interface FollowerRepository {
  findById(id: string): Promise<Follower | null>;
  findByIdentity(kind: IdentityKind, externalId: string): Promise<Follower | null>;
  /** Finds the follower behind an identity, creating both on first sight. Safe under concurrency. */
  resolveIdentity(identity: IdentityInput): Promise<{ follower: Follower; isNew: boolean }>;
  /** The follower's id on one platform (their WeChat contact id, Telegram user id), or null when they have none there. */
  externalIdOf(followerId: string, kind: IdentityKind): Promise<string | null>;
  /** Ties another identity to an existing follower (account linking). */
  linkIdentity(followerId: string, kind: IdentityKind, externalId: string): Promise<void>;
  /** Which of these ids exist. */
  existingIds(ids: readonly string[]): Promise<Set<string>>;
  update(id: string, patch: FollowerPatch): Promise<Follower | null>;
  /** Moves `last_seen_at` forward (never back) for each follower; returns their rows as they are now. */
  touchLastSeen(lastSeen: ReadonlyMap<string, Date>): Promise<Follower[]>;
}

export interface CourseQuery {
  page: number;
  pageSize: number;
  status?: CourseStatus;
  /** Matches title or description, either language. */
  search?: string;
  tag?: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * The course catalogue.
 *
 * @example
 * const { items } = await courses.list({ page: 1, pageSize: 20, status: 'on_sale' });
 */
export interface CourseRepository {
  list(query: CourseQuery): Promise<Page<Course>>;
  findById(id: string): Promise<Course | null>;
  /** The courses with these ids that exist, by id, in one read. */
  findByIds(ids: readonly string[]): Promise<Map<string, Course>>;
  findBySlug(slug: string): Promise<Course | null>;
  existingIds(ids: readonly string[]): Promise<Set<string>>;
  /** Inserts courses whose slug is new; leaves existing slugs untouched. Returns how many were added. */
  insertMissing(courses: readonly NewCourse[]): Promise<number>;
}

/**
 * The append-only event log.
 *
 * @example
 * const inserted = await events.append([event]); // ids of rows that were new
 */
export interface EventRepository {
  /**
   * Appends events, skipping any whose (platform, externalId) is already stored.
   * Returns the new rows' ids keyed by `${platform}:${externalId}`.
   */
  append(events: readonly NewEvent[]): Promise<Map<string, number>>;
  /**
   * Appends events in one atomic statement: checks that every follower and course they name
   * exists (if one does not, nothing is written and the missing ids are returned), skips those
   * already stored under the same (platform, externalId), and moves each follower's
   * `last_seen_at` forward to their newest new event, returning those followers' rows as they are
   * now (`touched`). One round trip, no transaction needed.
   */
  appendChecked(events: readonly NewEvent[]): Promise<CheckedAppend>;
  /** Aggregates one follower's history for the persona, with times bucketed in `timeZone`. */
  personaStats(followerId: string, timeZone: string, now: Date, halfLifeDays: number): Promise<PersonaStats>;
}

/** What {@link EventRepository.appendChecked} did: new rows' ids by `${platform}:${externalId}`, or the ids it did not find. */
export interface CheckedAppend {
  inserted: Map<string, number>;
  touched: Follower[];
  missingFollowerIds: Set<string>;
  missingCourseIds: Set<string>;
}

/** Courses a follower owns (granted by a paid order, revoked by a refund). */
export interface EntitlementRepository {
  ownedCourseIds(followerId: string): Promise<Set<string>>;
}

export interface AuditEntry {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details?: Record<string, unknown>;
}

/** An append-only record of who changed what. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

/** The repositories one transaction sees. */
export interface Repositories {
  followers: FollowerRepository;
  courses: CourseRepository;
  events: EventRepository;
  entitlements: EntitlementRepository;
  orders: OrderRepository;
  coupons: CouponLedger;
  referrals: ReferralRepository;
  audit: AuditLog;
}

/**
 * Runs work in one database transaction: everything commits or nothing does. `repos` are the same
 * repositories outside a transaction, for work that is a single statement (atomic on its own).
 *
 * @example
 * await uow.run(async (repos) => { await repos.followers.update(id, { isOptedOut: true }); await repos.audit.record(...); });
 */
export interface UnitOfWork {
  run<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  readonly repos: Repositories;
}
