import type { Course, NewCourse } from '../catalog/course.js';
import type { Clock, CourseQuery, CourseRepository, Page } from '../ports/index.js';

/** How long a catalogue read is reused by default. */
export const CATALOGUE_CACHE_MS = 3_000;

/**
 * The course catalogue for the chat path, with reads reused for a few seconds: every chat turn
 * that browses, searches or recommends reads the same few pages, and the catalogue changes rarely.
 * Concurrent misses of one read share one query. Writes through this object clear the cache at
 * once; a change made elsewhere (the admin console, another process) shows in chat after at most
 * `ttlMs` — for that long a course taken off sale elsewhere may still be shown. Money paths do not
 * read through it: opening an order re-checks the course in the order's own transaction, and the
 * Telegram pre-checkout validation reads the uncached repositories.
 *
 * @example
 * const courses = new CachedCourseCatalogue(repos.courses, clock);
 * const dialog: DialogDeps = { ...deps, repos: { ...repos, courses } };
 */
export class CachedCourseCatalogue implements CourseRepository {
  private readonly reads = new Map<string, { atMs: number; value: Promise<unknown> }>();

  constructor(
    private readonly inner: CourseRepository,
    private readonly clock: Clock,
    private readonly ttlMs: number = CATALOGUE_CACHE_MS,
  ) {}

  list(query: CourseQuery): Promise<Page<Course>> {
    const key = `list:${query.page}:${query.pageSize}:${query.status ?? ''}:${query.tag ?? ''}:${query.search ?? ''}`;
    return this.cached(key, () => this.inner.list(query));
  }

  findById(id: string): Promise<Course | null> {
    return this.cached(`id:${id}`, () => this.inner.findById(id));
  }

  findBySlug(slug: string): Promise<Course | null> {
    return this.cached(`slug:${slug}`, () => this.inner.findBySlug(slug));
  }

  /** Not cached: it checks references before writing them. */
  findByIds(ids: readonly string[]): Promise<Map<string, Course>> {
    return this.inner.findByIds(ids);
  }

  existingIds(ids: readonly string[]): Promise<Set<string>> {
    return this.inner.existingIds(ids);
  }

  async insertMissing(courses: readonly NewCourse[]): Promise<number> {
    try {
      return await this.inner.insertMissing(courses);
    } finally {
      this.invalidate();
    }
  }

  /** Forgets every cached read (after a change this process made to the catalogue). */
  invalidate(): void {
    this.reads.clear();
  }

  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const nowMs = this.clock.now().getTime();
    const hit = this.reads.get(key);
    if (hit && nowMs - hit.atMs < this.ttlMs) return hit.value as Promise<T>;
    if (this.reads.size > 10_000) this.dropExpired(nowMs);
    const value = read();
    this.reads.set(key, { atMs: nowMs, value });
    // A failed read is not reused: the next caller asks again.
    value.catch(() => {
      if (this.reads.get(key)?.value === value) this.reads.delete(key);
    });
    return value;
  }

  private dropExpired(nowMs: number): void {
    for (const [key, entry] of this.reads) if (nowMs - entry.atMs >= this.ttlMs) this.reads.delete(key);
  }
}
