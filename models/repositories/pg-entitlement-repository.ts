import { sql } from 'drizzle-orm';
import type { EntitlementRepository } from '../../core/index.js';
import { queryPrepared, type Db } from '../database.js';

export class PgEntitlementRepository implements EntitlementRepository {
  constructor(private readonly db: Db) {}

  async ownedCourseIds(followerId: string): Promise<Set<string>> {
    // Read on most chat turns: a prepared statement, planned once per connection.
    const rows = await queryPrepared<{ course_id: string }>(
      this.db,
      'entitlements_owned',
      sql`select course_id from entitlements where follower_id = ${followerId} and revoked_at is null`,
    );
    return new Set(rows.map((r) => r.course_id));
  }
}
