import type { Course } from '../../../core/index.js';
import { indexCatalogue, mmr } from '../../../core/recommend/index.js';
import { contentSimilarity, contentSimilarityScorer } from '../../../core/recommend/serving/catalogue-index.js';

const words = ['python', 'data', 'photo', 'light', 'camera', 'pandas', 'sql', 'portrait', 'colour', 'statistics', 'chart', 'lens'];

/** Courses whose texts share some words and differ in length, so either vector of a pair can be the shorter. */
function courses(n: number): Course[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `c${i}`, slug: `c${i}`, titleZh: `课程 ${i}`, titleEn: `${words[i % 12]} ${words[(i * 5) % 12]}`,
    descriptionZh: '', descriptionEn: words.filter((_, w) => (i * 7 + w) % (2 + (i % 5)) === 0).join(' '), tags: [words[i % 4]!],
    priceMinor: 9_900, currency: 'CNY', priceStars: null, status: 'on_sale', createdAt: new Date(0), updatedAt: new Date(0),
  }) as unknown as Course);
}

describe('content similarity for MMR', () => {
  it('equals contentSimilarity to the last bit, however the calls alternate', () => {
    const catalogue = indexCatalogue(courses(40));
    const similarity = contentSimilarityScorer(catalogue);
    const ids = [...catalogue.content.courseIds, 'not-on-sale'];
    let shorterFirst = 0;
    for (const b of ids) {
      for (const a of ids) {
        expect(Object.is(similarity(a, b), contentSimilarity(catalogue, a, b))).toBe(true);
        if (a !== 'not-on-sale' && b !== 'not-on-sale' && catalogue.content.vectors[catalogue.content.byId.get(a)!]!.size < catalogue.content.vectors[catalogue.content.byId.get(b)!]!.size) shorterFirst++;
      }
    }
    // Both sides of the scorer ran: pairs whose first vector is shorter, and the others.
    expect(shorterFirst).toBeGreaterThan(100);
    expect(shorterFirst).toBeLessThan(ids.length * ids.length - 100);
  });

  it('gives MMR the same picks as contentSimilarity', () => {
    const catalogue = indexCatalogue(courses(60));
    const candidates = catalogue.content.courseIds.map((id, i) => ({ id, score: 1 - i / 100 }));
    const picks = (similarity: (a: string, b: string) => number) => mmr(candidates, 10, 0.6, similarity).map((c) => c.id);
    const expected = picks((a, b) => contentSimilarity(catalogue, a, b));
    expect(picks(contentSimilarityScorer(catalogue))).toEqual(expected);
    // Diversity did something: not simply the ten best.
    expect(expected).not.toEqual(candidates.slice(0, 10).map((c) => c.id));
  });

  it('at λ = 1 picks by score alone, without computing a similarity', () => {
    const candidates = [{ id: 'a', score: 0.2 }, { id: 'b', score: 0.9 }, { id: 'c', score: 0.9 }, { id: 'd', score: 0.5 }];
    let calls = 0;
    const picks = mmr(candidates, 3, 1, () => ++calls);
    expect(picks.map((c) => c.id)).toEqual(['b', 'c', 'd']);
    expect(calls).toBe(0);
    expect(mmr(candidates, 3, 0.5, () => ++calls)).toHaveLength(3);
    expect(calls).toBeGreaterThan(0);
  });
});
