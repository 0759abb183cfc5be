import { collectGarbage } from '../training/collect-garbage.js';

/**
 * Rows per page of the event log: one page of row objects is alive at a time. A page lives across
 * the socket reads that fill it, so V8 moves much of it to the old generation before it dies: at
 * 10,000 rows reading a million events lifted RSS by ~170 MB, at 2,000 by ~90 MB, in the same time.
 */
export const EVENT_PAGE_ROWS = 2_000;

/**
 * Pages of the event log between two full collections while a retrain reads it: the pages V8
 * promoted are dead once read, but stay until the old generation fills, and reading a million
 * events lifted RSS by up to 200 MB before V8 collected them; a collection every 50 pages (100,000
 * events) costs ~0.1 s per million events and keeps that under 80 MB.
 */
const PAGES_PER_COLLECTION = 50;

/**
 * Reads an id-ordered log to the end, one keyset page at a time (`afterId` the last id seen), and
 * hands each page to `onPage` without keeping it: a caller that keeps columns, not the rows,
 * holds one page of objects at a time. Returns how many rows were read.
 *
 * @example
 * const n = await forEachPage((afterId, limit) => interactions.listCourseInteractions({ afterId, limit }), 50_000, (page) => page.forEach((e) => builder.add(e)));
 */
export async function forEachPage<T extends { id: number }>(
  readPage: (afterId: number, limit: number) => Promise<T[]>,
  pageSize: number,
  onPage: (page: readonly T[], readSoFar: number) => void,
): Promise<number> {
  let read = 0;
  for (let afterId = 0; ; ) {
    const page = await readPage(afterId, pageSize);
    read += page.length;
    onPage(page, read);
    if (page.length < pageSize) return read;
    afterId = page[page.length - 1]!.id;
  }
}

/**
 * {@link forEachPage} over the event log, for a retrain: pages of EVENT_PAGE_ROWS, and a full
 * collection every PAGES_PER_COLLECTION pages (see there why).
 *
 * @example
 * await forEachEventPage((afterId, limit) => interactions.listCourseInteractions({ afterId, limit }), (page) => page.forEach((e) => builder.add(e)));
 */
export async function forEachEventPage<T extends { id: number }>(
  readPage: (afterId: number, limit: number) => Promise<T[]>,
  onPage: (page: readonly T[], readSoFar: number) => void,
): Promise<number> {
  let pages = 0;
  return forEachPage(readPage, EVENT_PAGE_ROWS, (page, read) => {
    onPage(page, read);
    if (++pages % PAGES_PER_COLLECTION === 0) collectGarbage();
  });
}

/**
 * Reads an id-ordered log to the end into one array (for logs small enough to hold as objects).
 *
 * @example
 * const messages = await readAllPages((afterId, limit) => interactions.listMessageTerms({ afterId, limit }), 50_000);
 */
export async function readAllPages<T extends { id: number }>(
  readPage: (afterId: number, limit: number) => Promise<T[]>,
  pageSize: number,
  onPage?: (readSoFar: number) => void,
): Promise<T[]> {
  const rows: T[] = [];
  await forEachPage(readPage, pageSize, (page, read) => {
    for (const row of page) rows.push(row);
    onPage?.(read);
  });
  return rows;
}
