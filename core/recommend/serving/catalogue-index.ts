import type { Course } from '../../catalog/course.js';
import type { CourseRepository } from '../../ports/index.js';
import { PRICE_BANDS, type PriceBand } from '../../persona/index.js';
import { buildContentIndex, cosine, type ContentIndex } from '../algorithms/content-tfidf.js';

/** The courses on sale, with the content index and lookups serving needs. */
export interface CatalogueIndex {
  courses: Map<string, Course>;
  content: ContentIndex;
  /** term → (course id, weight), for scoring a profile against every course in one pass. */
  postings: Map<string, Array<readonly [string, number]>>;
  byTag: Map<string, string[]>;
  band: Map<string, PriceBand>;
}

/** The price band of a course (same thresholds as the persona's). */
export function priceBandOf(course: Pick<Course, 'priceMinor' | 'currency'>): PriceBand {
  const bands = PRICE_BANDS[course.currency];
  return course.priceMinor < bands.budgetBelow ? 'budget' : course.priceMinor >= bands.premiumFrom ? 'premium' : 'mid';
}

/**
 * Indexes the catalogue for serving: TF-IDF vectors (jieba for Chinese), an inverted index, tags, bands.
 *
 * @example
 * const catalogue = indexCatalogue(onSaleCourses);
 */
export function indexCatalogue(courses: readonly Course[]): CatalogueIndex {
  const content = buildContentIndex(courses);
  const postings = new Map<string, Array<readonly [string, number]>>();
  content.vectors.forEach((v, i) => {
    for (const [term, w] of v) {
      const list = postings.get(term) ?? [];
      list.push([content.courseIds[i]!, w]);
      postings.set(term, list);
    }
  });
  const byTag = new Map<string, string[]>();
  for (const c of courses) for (const tag of c.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), c.id]);
  return { courses: new Map(courses.map((c) => [c.id, c])), content, postings, byTag, band: new Map(courses.map((c) => [c.id, priceBandOf(c)])) };
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
