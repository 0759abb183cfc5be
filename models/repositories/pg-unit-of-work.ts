import type { Repositories, UnitOfWork } from '../../core/index.js';
import type { Db } from '../database.js';
import { PgAuditLog } from './pg-audit-log.js';
import { PgCouponLedger } from './pg-coupon-ledger.js';
import { PgCourseRepository } from './pg-course-repository.js';
import { PgEntitlementRepository } from './pg-entitlement-repository.js';
import { PgEventRepository } from './pg-event-repository.js';
import { PgFollowerRepository } from './pg-follower-repository.js';
import { PgOrderRepository } from './pg-order-repository.js';
import { PgReferralRepository } from './pg-referral-repository.js';

/** The repositories over one Drizzle database or transaction. */
export function createRepositories(db: Db): Repositories {
  return {
    followers: new PgFollowerRepository(db),
    courses: new PgCourseRepository(db),
    events: new PgEventRepository(db),
    entitlements: new PgEntitlementRepository(db),
    orders: new PgOrderRepository(db),
    coupons: new PgCouponLedger(db),
    referrals: new PgReferralRepository(db),
    audit: new PgAuditLog(db),
  };
}

export class PgUnitOfWork implements UnitOfWork {
  readonly repos: Repositories;

  constructor(private readonly db: Db) {
    this.repos = createRepositories(db);
  }

  run<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(createRepositories(tx as unknown as Db)));
  }
}
