/**
 * Reads an id-ordered log to the end, one keyset page at a time (`afterId` the last id seen).
 *
 * @example
 * const events = await readAllPages((afterId, limit) => interactions.listCourseInteractions({ afterId, limit }), 50_000);
 */
export async function readAllPages<T extends { id: number }>(
  readPage: (afterId: number, limit: number) => Promise<T[]>,
  pageSize: number,
  onPage?: (readSoFar: number) => void,
): Promise<T[]> {
  const rows: T[] = [];
  for (let afterId = 0; ; ) {
    const page = await readPage(afterId, pageSize);
    rows.push(...page);
    if (page.length < pageSize) return rows;
    afterId = page[page.length - 1]!.id;
    onPage?.(rows.length);
  }
}
