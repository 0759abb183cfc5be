import type { ConsoleRepositories, ConsoleUnitOfWork } from '../../core/index.js';
import type { Db } from '../database.js';
import { PgAccountRepository } from './pg-account-repository.js';
import { PgCourseAdminRepository } from './pg-account-courses.js';
import { PgCouponRepository } from './pg-account-coupons.js';
import { PgFollowerAdminRepository } from './pg-account-followers.js';
import { PgLoginFailureRepository, PgSessionRepository } from './pg-account-sessions.js';
import { PgSettingsRepository } from './pg-account-settings.js';
import { PgApiTokenRepository } from './pg-account-tokens.js';
import { PgAuditLog } from './pg-audit-log.js';
import { PgLearningRepository } from './pg-learning-repository.js';

/** The console's repositories over one Drizzle database or transaction. */
export function createConsoleRepositories(db: Db): ConsoleRepositories {
  return {
    accounts: new PgAccountRepository(db),
    sessions: new PgSessionRepository(db),
    tokens: new PgApiTokenRepository(db),
    loginFailures: new PgLoginFailureRepository(db),
    courses: new PgCourseAdminRepository(db),
    content: new PgLearningRepository(db),
    coupons: new PgCouponRepository(db),
    followers: new PgFollowerAdminRepository(db),
    settings: new PgSettingsRepository(db),
    audit: new PgAuditLog(db),
  };
}

export class PgConsoleUnitOfWork implements ConsoleUnitOfWork {
  constructor(private readonly db: Db) {}

  run<T>(work: (repos: ConsoleRepositories) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(createConsoleRepositories(tx as unknown as Db)));
  }
}
