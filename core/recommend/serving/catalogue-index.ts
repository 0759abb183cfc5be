import type { Course } from '../../catalog/course.js';
import type { CourseRepository } from '../../ports/index.js';
import { PRICE_BANDS, type PriceBand } from '../../persona/index.js';
import { buildContentIndex, cosine, courseTerms, type ContentIndex } from '../algorithms/content-tfidf.js';

/** The courses on sale, with the content index and lookups serving needs. */
export interface CatalogueIndex {
  courses: Map<string, Course>;
  content: ContentIndex;
  /** term → (course id, weight), strongest first, for scoring a profile against the catalogue in one pass. */
  postings: Map<string, Array<readonly [string, number]>>;
  byTag: Map<string, string[]>;
  band: Map<string, PriceBand>;
  /** Each course's term counts with the text they were computed from, reused by the next indexing. */
  terms: Map<string, { text: string; counts: ReadonlyMap<string, number> }>;
}

/** The price band of a course (same thresholds as the persona's). */
export function priceBandOf(course: Pick<Course, 'priceMinor' | 'currency'>): PriceBand {
  const bands = PRICE_BANDS[course.currency];
  return course.priceMinor < bands.budgetBelow ? 'budget' : course.priceMinor >= bands.premiumFrom ? 'premium' : 'mid';
}

/**
 * Indexes the catalogue for serving: TF-IDF vectors (jieba for Chinese), an inverted index, tags,
 * bands. Given the previous index, a catalogue whose courses are all unchanged is not indexed
 * again, and the term counts of courses whose text did not change (segmenting text is the costly
 * part) are reused, so a periodic refresh costs little.
 *
 * @example
 * const catalogue = indexCatalogue(onSaleCourses);
 * const refreshed = indexCatalogue(await listOnSale(), catalogue);
 */
export function indexCatalogue(courses: readonly Course[], previous?: CatalogueIndex): CatalogueIndex {
  if (previous && isSameCatalogue(previous, courses)) return previous;
  const terms = new Map<string, { text: string; counts: ReadonlyMap<string, number> }>();
  const termsOf = (c: Course) => {
    const text = [c.titleZh, c.titleEn, c.descriptionZh, c.descriptionEn, ...c.tags].join('\u0000');
    const kept = previous?.terms.get(c.id);
    const entry = kept && kept.text === text ? kept : { text, counts: courseTerms(c) };
    terms.set(c.id, entry);
    return entry.counts;
  };
  const content = buildContentIndex(courses, termsOf);
  const postings = new Map<string, Array<readonly [string, number]>>();
  content.vectors.forEach((v, i) => {
    for (const [term, w] of v) {
      const list = postings.get(term);
      if (list) list.push([content.courseIds[i]!, w]);
      else postings.set(term, [[content.courseIds[i]!, w]]);
    }
  });
  for (const list of postings.values()) list.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const byTag = new Map<string, string[]>();
  for (const c of courses) {
    for (const tag of c.tags) {
      const list = byTag.get(tag);
      if (list) list.push(c.id);
      else byTag.set(tag, [c.id]);
    }
  }
  return { courses: new Map(courses.map((c) => [c.id, c])), content, postings, byTag, band: new Map(courses.map((c) => [c.id, priceBandOf(c)])), terms };
}

/** The same courses, in the same order, each field as indexed before (the routes serve these objects). */
function isSameCatalogue(previous: CatalogueIndex, courses: readonly Course[]): boolean {
  if (previous.content.courseIds.length !== courses.length) return false;
  return courses.every((c, i) => {
    const indexed = previous.courses.get(c.id);
    return previous.content.courseIds[i] === c.id && indexed !== undefined && isSameCourse(indexed, c);
  });
}

function isSameCourse(a: Course, b: Course): boolean {
  const same = (x: unknown, y: unknown): boolean =>
    x === y ||
    (x instanceof Date && y instanceof Date && x.getTime() === y.getTime()) ||
    (Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => same(v, y[i])));
  const keys = Object.keys(a) as Array<keyof Course>;
  return keys.length === Object.keys(b).length && keys.every((k) => same(a[k], b[k]));
}
/**
 * Cosine similarity of two courses' content (titles, descriptions, tags); 0 when either is unknown.
 * What MMR measures redundancy with.
 *
 * @example
 * contentSimilarity(catalogue, 'python-101', 'python-data') // 0.62
 */
export function contentSimilarity(catalogue: CatalogueIndex, a: string, b: string): number {
  const va = catalogue.content.vectors[catalogue.content.byId.get(a) ?? -1];
  const vb = catalogue.content.vectors[catalogue.content.byId.get(b) ?? -1];
  return va && vb ? cosine(va, vb) : 0;
}

/**
 * Every course of the catalogue, page by page (training reads the whole catalogue).
 *
 * @example
 * const all = await listAllCourses(courses);
 */
export async function listAllCourses(courses: Pick<CourseRepository, 'list'>): Promise<Course[]> {
  const all: Course[] = [];
  for (let page = 1; ; page++) {
    const result = await courses.list({ page, pageSize: 500 });
    all.push(...result.items);
    if (result.items.length < 500 || all.length >= result.total) return all;
  }
}
