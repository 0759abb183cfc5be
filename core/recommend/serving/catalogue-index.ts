import type { Course } from '../../catalog/course.js';
import type { CourseRepository } from '../../ports/index.js';
import { PRICE_BANDS, type PriceBand } from '../../persona/index.js';
import { buildContentIndex, cosine, courseTerms, type ContentIndex } from '../algorithms/content-tfidf.js';

/** A sparse vector as parallel arrays: term numbers (see {@link CatalogueIndex.vocabulary}) and weights. */
export interface TermWeights {
  terms: Int32Array;
  weights: Float64Array;
}

/** Course indices (into `content.courseIds`) with a weight each. */
export interface CourseWeights {
  courses: Int32Array;
  weights: Float64Array;
}

/** The courses on sale, with the content index and lookups serving needs. */
export interface CatalogueIndex {
  courses: Map<string, Course>;
  content: ContentIndex;
  /** Every term of the catalogue once; a term's number is its place here. */
  vocabulary: string[];
  termNumber: Map<string, number>;
  /** Each course's content vector by term number (same course order as `content.courseIds`), its terms in the order of its map in `content.vectors`, so sums over it add up in the same order. */
  vectors: TermWeights[];
  /** Term number → the courses it occurs in, strongest first (for scoring a profile against the catalogue in one pass). */
  postings: CourseWeights[];
  /** Tag → course indices (into `content.courseIds`). */
  byTag: Map<string, number[]>;
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
  const termNumber = new Map<string, number>();
  const vectors = content.vectors.map((v): TermWeights => {
    const terms = new Int32Array(v.size);
    const weights = new Float64Array(v.size);
    let k = 0;
    for (const [term, w] of v) {
      let n = termNumber.get(term);
      if (n === undefined) termNumber.set(term, (n = termNumber.size));
      terms[k] = n;
      weights[k++] = w;
    }
    return { terms, weights };
  });
  const byTag = new Map<string, number[]>();
  courses.forEach((c, i) => {
    for (const tag of c.tags) {
      const list = byTag.get(tag);
      if (list) list.push(i);
      else byTag.set(tag, [i]);
    }
  });
  return {
    courses: new Map(courses.map((c) => [c.id, c])), content, vocabulary: [...termNumber.keys()], termNumber, vectors, postings: postingsOf(content, vectors, termNumber.size),
    byTag, band: new Map(courses.map((c) => [c.id, priceBandOf(c)])), terms,
  };
}

/** Per term number, the courses whose vector holds it, strongest first (ties by course id). */
function postingsOf(content: ContentIndex, vectors: readonly TermWeights[], nTerms: number): CourseWeights[] {
  const lists = Array.from({ length: nTerms }, () => [] as Array<readonly [number, number]>);
  vectors.forEach((v, i) => v.terms.forEach((term, k) => lists[term]!.push([i, v.weights[k]!])));
  return lists.map((list) => {
    list.sort((a, b) => b[1] - a[1] || content.courseIds[a[0]]!.localeCompare(content.courseIds[b[0]]!));
    return { courses: Int32Array.from(list, ([i]) => i), weights: Float64Array.from(list, ([, w]) => w) };
  });
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
 * {@link contentSimilarity} for MMR's pattern of calls (every candidate against the newest pick),
 * equal to it to the last bit: the second course's vector is spread over an array by term number
 * and kept there while the calls name the same second course, so each call is a pass over plain
 * arrays instead of map lookups. Sums run over the smaller vector in its own order, as cosine's do.
 * Not for concurrent use (it keeps state between calls), so make one per ranking.
 *
 * @example
 * const similarity = contentSimilarityScorer(catalogue);
 * similarity('python-101', 'python-data') === contentSimilarity(catalogue, 'python-101', 'python-data') // true
 */
export function contentSimilarityScorer(catalogue: CatalogueIndex): (a: string, b: string) => number {
  const spread = new Float64Array(catalogue.vocabulary.length);
  const other = new Float64Array(catalogue.vocabulary.length);
  let spreadFor: TermWeights | undefined;
  const place = (into: Float64Array, v: TermWeights, on: boolean) => {
    for (let k = 0; k < v.terms.length; k++) into[v.terms[k]!] = on ? v.weights[k]! : 0;
  };
  return (a, b) => {
    const va = catalogue.vectors[catalogue.content.byId.get(a) ?? -1];
    const vb = catalogue.vectors[catalogue.content.byId.get(b) ?? -1];
    if (!va || !vb) return 0;
    if (spreadFor !== vb) {
      if (spreadFor) place(spread, spreadFor, false);
      place(spread, vb, true);
      spreadFor = vb;
    }
    if (va.terms.length <= vb.terms.length) return dotInOrder(va, spread);
    place(other, va, true);
    const s = dotInOrder(vb, other);
    place(other, va, false);
    return s;
  };
}

/** Σ weight × spread[term] over `v`'s terms in its order (the other vector spread by term number). */
function dotInOrder(v: TermWeights, spread: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.terms.length; k++) s += v.weights[k]! * spread[v.terms[k]!]!;
  return s;
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
