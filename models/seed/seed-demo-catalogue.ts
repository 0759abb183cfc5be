import { courseInputSchema } from '../../core/index.js';
import type { Db } from '../database.js';
import { PgCourseRepository } from '../repositories/pg-course-repository.js';
import { demoCourses } from './demo-courses.js';

/**
 * Seeds the demo catalogue once: courses whose slug already exists are left as they are, so a
 * restart (or an admin's edits) never duplicates or overwrites them. Returns how many were added.
 *
 * @example
 * const added = await seedDemoCatalogue(database.db); // 30 on a fresh database, 0 afterwards
 */
export async function seedDemoCatalogue(db: Db): Promise<number> {
  const courses = demoCourses().map((c) => courseInputSchema.parse(c));
  return new PgCourseRepository(db).insertMissing(courses);
}
