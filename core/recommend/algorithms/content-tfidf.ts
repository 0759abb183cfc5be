import type { Course } from '../../catalog/course.js';
import { tokenize } from '../../text/index.js';

/** Sparse unit-length TF-IDF vectors, one per course. */
export interface ContentIndex {
  courseIds: string[];
  vectors: Array<Map<string, number>>;
  byId: Map<string, number>;
}

/** Tags count this many times a word of the description; titles twice. */
const TAG_WEIGHT = 3;
const TITLE_WEIGHT = 2;

type ContentFields = Pick<Course, 'id' | 'titleZh' | 'titleEn' | 'descriptionZh' | 'descriptionEn' | 'tags'>;

/**
 * The weighted term counts of one course: title (twice), description and tags (three times), both
 * languages, Chinese segmented by tokenize() (jieba). The costly part of indexing, so callers that
 * re-index often can keep these per course.
 *
 * @example
 * const counts = courseTerms(course); // Map { 'python' => 4, 'tag:python' => 3, … }
 */
export function courseTerms(c: ContentFields): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (terms: string[], w: number) => terms.forEach((t) => counts.set(t, (counts.get(t) ?? 0) + w));
  add(tokenize(`${c.titleZh} ${c.titleEn}`), TITLE_WEIGHT);
  add(tokenize(`${c.descriptionZh} ${c.descriptionEn}`), 1);
  add(c.tags.map((t) => `tag:${t.toLowerCase()}`), TAG_WEIGHT);
  return counts;
}

/**
 * Builds TF-IDF vectors over title, description and tags in both languages (see {@link courseTerms};
 * `termsOf` lets a caller reuse counts it kept). Vectors are L2-normalised so a dot product is a cosine.
 *
 * @example
 * const index = buildContentIndex(courses); cosine(index.vectors[0]!, index.vectors[1]!)
 */
export function buildContentIndex<C extends ContentFields>(courses: readonly C[], termsOf: (course: C) => ReadonlyMap<string, number> = courseTerms): ContentIndex {
  const termCounts = courses.map((c) => termsOf(c));
  const df = new Map<string, number>();
  for (const counts of termCounts) for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = courses.length;
  const vectors = termCounts.map((counts) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [term, tf] of counts) {
      const w = (1 + Math.log(tf)) * Math.log((1 + n) / (1 + (df.get(term) ?? 0)) + 1);
      v.set(term, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, w] of v) v.set(term, w / norm);
    return v;
  });
  return { courseIds: courses.map((c) => c.id), vectors, byId: new Map(courses.map((c, i) => [c.id, i])) };
}

/** Dot product of two sparse vectors (a cosine when both are unit length). */
export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [term, w] of small) s += w * (large.get(term) ?? 0);
  return s;
}

/** The weighted sum of several vectors, renormalised: a profile of what someone liked. */
export function profileOf(vectors: ReadonlyArray<readonly [ReadonlyMap<string, number>, number]>): Map<string, number> {
  const p = new Map<string, number>();
  for (const [v, w] of vectors) for (const [term, x] of v) p.set(term, (p.get(term) ?? 0) + w * x);
  let norm = 0;
  for (const x of p.values()) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (const [term, x] of p) p.set(term, x / norm);
  return p;
}
