import { and, eq, isNull } from 'drizzle-orm';
import type { EntitlementRepository } from '../../core/index.js';
import type { Db } from '../database.js';
import { entitlements } from '../schema.js';

export class PgEntitlementRepository implements EntitlementRepository {
  constructor(private readonly db: Db) {}

  async ownedCourseIds(followerId: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ courseId: entitlements.courseId })
      .from(entitlements)
      .where(and(eq(entitlements.followerId, followerId), isNull(entitlements.revokedAt)));
    return new Set(rows.map((r) => r.courseId));
  }
}
