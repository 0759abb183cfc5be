import type { Course } from '../../catalog/course.js';

const GENRES = [
  'unknown', 'action', 'adventure', 'animation', 'children', 'comedy', 'crime', 'documentary', 'drama', 'fantasy', 'film-noir', 'horror', 'musical',
  'mystery', 'romance', 'sci-fi', 'thriller', 'war', 'western',
];

/**
 * MovieLens `u.item` (`id|title|release date|video date|url|19 genre flags`) as a catalogue the
 * served pipeline can index: the title is the English title, genres are the tags, one price (so the
 * price band says nothing), created at the release date. Items the file lacks get a bare entry.
 *
 * @example
 * const courses = movieLensCourses(readFileSync('u.item', 'latin1'), table.itemIds);
 */
export function movieLensCourses(itemText: string | null, itemIds: readonly string[]): Course[] {
  const known = new Map<string, { title: string; tags: string[]; released: Date }>();
  for (const line of (itemText ?? '').split(/\r?\n/)) {
    const fields = line.split('|');
    if (fields.length < 24) continue;
    const released = Date.parse(fields[2] ?? '');
    known.set(fields[0]!, {
      title: fields[1]!,
      tags: GENRES.filter((_, g) => fields[5 + g] === '1'),
      released: new Date(Number.isFinite(released) ? released : 0),
    });
  }
  return itemIds.map((id) => {
    const item = known.get(id);
    return {
      id, slug: `ml-${id}`, titleZh: '', titleEn: item?.title ?? `item ${id}`, descriptionZh: '', descriptionEn: '', tags: item?.tags ?? [],
      priceMinor: 9_900, currency: 'CNY', priceStars: null, status: 'on_sale', creatorId: null, coverUrl: null, teacherName: '',
      pacing: { kind: 'self_paced' }, telegramChatId: null, nextCourseId: null, createdAt: item?.released ?? new Date(0), updatedAt: item?.released ?? new Date(0),
    };
  });
}
