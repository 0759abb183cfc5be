import { CachedCourseCatalogue, type Course, type CourseQuery, type CourseRepository, type Page } from '../../../core/index.js';

/** An in-memory catalogue that answers after a delay and counts reads. */
function slowCatalogue() {
  const calls: string[] = [];
  let isFailing = false;
  const course = (id: string) => ({ id, slug: id, status: 'on_sale' }) as unknown as Course;
  const read = async <T>(name: string, value: T): Promise<T> => {
    calls.push(name);
    await new Promise((r) => setTimeout(r, 2));
    if (isFailing) throw new Error('database down');
    return value;
  };
  const inner: CourseRepository = {
    list: (q: CourseQuery) => read<Page<Course>>(`list:${q.page}`, { items: [course('a')], total: 1, page: q.page, pageSize: q.pageSize } as Page<Course>),
    findById: (id) => read(`id:${id}`, course(id)),
    findByIds: (ids) => read('ids', new Map(ids.map((id) => [id, course(id)]))),
    findBySlug: (slug) => read(`slug:${slug}`, course(slug)),
    existingIds: (ids) => read('existing', new Set(ids)),
    insertMissing: (courses) => read('insert', courses.length),
  };
  return { inner, calls, setFailing: (v: boolean) => (isFailing = v) };
}

describe('CachedCourseCatalogue', () => {
  let nowMs = 0;
  const clock = { now: () => new Date(nowMs) };
  beforeEach(() => {
    nowMs = 1_000_000;
  });

  it('reuses a read for the TTL, then reads again', async () => {
    const { inner, calls } = slowCatalogue();
    const cached = new CachedCourseCatalogue(inner, clock, 3_000);
    await cached.list({ page: 1, pageSize: 5, status: 'on_sale' });
    nowMs += 2_999;
    await cached.list({ page: 1, pageSize: 5, status: 'on_sale' });
    await cached.list({ page: 2, pageSize: 5, status: 'on_sale' });
    expect(calls).toEqual(['list:1', 'list:2']);
    nowMs += 1;
    await cached.list({ page: 1, pageSize: 5, status: 'on_sale' });
    expect(calls).toEqual(['list:1', 'list:2', 'list:1']);
  });

  it('shares one query among concurrent misses', async () => {
    const { inner, calls } = slowCatalogue();
    const cached = new CachedCourseCatalogue(inner, clock);
    const found = await Promise.all([cached.findById('x'), cached.findById('x'), cached.findById('x')]);
    expect(found.map((c) => c?.id)).toEqual(['x', 'x', 'x']);
    expect(calls).toEqual(['id:x']);
  });

  it('forgets everything when this process changes the catalogue', async () => {
    const { inner, calls } = slowCatalogue();
    const cached = new CachedCourseCatalogue(inner, clock);
    await cached.findById('x');
    await cached.insertMissing([]);
    await cached.findById('x');
    expect(calls).toEqual(['id:x', 'insert', 'id:x']);
  });

  it('does not keep a failed read', async () => {
    const catalogue = slowCatalogue();
    const cached = new CachedCourseCatalogue(catalogue.inner, clock);
    catalogue.setFailing(true);
    await expect(cached.findById('x')).rejects.toThrow('database down');
    catalogue.setFailing(false);
    expect((await cached.findById('x'))?.id).toBe('x');
  });

  it('never caches the reference check used before writes', async () => {
    const { inner, calls } = slowCatalogue();
    const cached = new CachedCourseCatalogue(inner, clock);
    await cached.existingIds(['a']);
    await cached.existingIds(['a']);
    expect(calls).toEqual(['existing', 'existing']);
  });
});
