import type { Course, CourseInteraction } from '../../../core/index.js';
import {
  defaultRankerWeights, hydrateModel, indexCatalogue, isServable, prepareFollower, rankForFollower, seededRandom, type RecommenderArtifact,
} from '../../../core/recommend/index.js';
import { candidatePool } from '../../../core/recommend/serving/score-candidates.js';
import { PRECOMPUTED_CANDIDATES, precomputeCandidates, RECOMMENDER_FORMAT_VERSION, storeNeighbours } from '../../../core/recommend/serving/recommender-model.js';

const now = new Date('2026-03-01T00:00:00Z');

function catalogueOf(n: number): Course[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `course-${String(i).padStart(5, '0')}`, slug: `course-${i}`, titleZh: `数据分析 第 ${i} 课`, titleEn: `Data course ${i}`,
    descriptionZh: '每门课都有的描述', descriptionEn: 'the same words in every course', tags: ['python', `topic-${i % 20}`],
    priceMinor: 9_900, currency: 'CNY', priceStars: null, status: 'on_sale', createdAt: new Date('2025-01-01T00:00:00Z'), updatedAt: new Date('2025-01-01T00:00:00Z'),
  }) as unknown as Course);
}

/** A model whose every course has 100 neighbours, so a long history reaches nearly the whole catalogue. */
function denseModel(courses: readonly Course[]) {
  const random = seededRandom(3);
  const n = courses.length;
  const offsets = [0];
  const items: number[] = [];
  const sims: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 1; k <= 100; k++) {
      items.push((i + k * 7) % n);
      sims.push(Math.round(random() * 1e5) / 1e5);
    }
    offsets.push(items.length);
  }
  const popularity = courses.map(() => random());
  const trending = courses.map(() => random());
  const segmentPopularity: number[][] = [];
  const stored = storeNeighbours({ nItems: n, offsets: Int32Array.from(offsets), neighbours: Int32Array.from(items), similarities: Float32Array.from(sims) });
  const artifact: RecommenderArtifact = {
    formatVersion: RECOMMENDER_FORMAT_VERSION, trainedAt: now.toISOString(), courseIds: courses.map((c) => c.id), generators: ['item_cf', 'rp3beta', 'content'],
    popularity, trending, neighbours: stored, ease: null, rp3beta: stored, segmentModel: null, segmentPopularity,
    candidates: precomputeCandidates({ popularity, segmentPopularity, trending }), rules: [], ranker: defaultRankerWeights(), rankerChoice: null,
  };
  return hydrateModel(artifact);
}

describe('the candidate pool', () => {
  it('stays bounded on a large catalogue however long the history, and keeps each generator\'s best', () => {
    const courses = catalogueOf(3_000);
    const catalogue = indexCatalogue(courses);
    const model = denseModel(courses);
    const history: CourseInteraction[] = Array.from({ length: 200 }, (_, i) => ({
      id: i, followerId: 'f', courseId: courses[i * 13]!.id, kind: i % 10 === 0 ? 'purchase' : 'view', occurredAt: new Date(now.getTime() - i * 3_600_000),
    }));
    const signals = { history, interests: [{ tag: 'python', weight: 1 }], priceBand: 'mid' as const, now, hour: 9 };
    const prepared = prepareFollower(model, catalogue, signals);
    // The generators alone propose (nearly) the whole catalogue…
    expect(new Set([...prepared.cf.ids(), ...prepared.content.ids(), ...prepared.interests.ids()]).size).toBeGreaterThan(2_500);
    const pool = candidatePool(model, catalogue, prepared);
    // …the pool holds at most 100 per generator (six of them) plus the precomputed lists.
    const bound = 6 * 100 + PRECOMPUTED_CANDIDATES.popular + PRECOMPUTED_CANDIDATES.trending;
    expect(pool.size).toBeLessThanOrEqual(bound);
    const strongest = prepared.cf.ids().sort((a, b) => prepared.cf.scoreOf(b) - prepared.cf.scoreOf(a))[0]!;
    expect(pool.has(strongest)).toBe(true);
    const mostPopular = model.artifact.courseIds[model.artifact.candidates.popular[0]!]!;
    expect(pool.has(mostPopular)).toBe(true);

    const picks = rankForFollower(model, catalogue, signals, new Set(), 10);
    expect(picks).toHaveLength(10);
    expect(picks.every((p) => pool.has(p.courseId))).toBe(true);
  });

  it('fills a tiny catalogue so a follower with nothing to go on still gets a full list', () => {
    const courses = catalogueOf(8);
    const catalogue = indexCatalogue(courses);
    const signals = { history: [], interests: [], priceBand: 'unknown' as const, now, hour: 9 };
    const prepared = prepareFollower(null, catalogue, signals);
    expect(candidatePool(null, catalogue, prepared).size).toBe(8);
    const picks = rankForFollower(null, catalogue, signals, new Set([courses[0]!.id]), 5);
    expect(picks).toHaveLength(5);
    expect(picks.map((p) => p.courseId)).not.toContain(courses[0]!.id);
  });

  it('re-indexes an unchanged catalogue for free, and only the changed course otherwise', () => {
    const courses = catalogueOf(50);
    const first = indexCatalogue(courses);
    // The same courses, read again as new objects.
    expect(indexCatalogue(courses.map((c) => ({ ...c })), first)).toBe(first);
    const renamed = courses.map((c, i) => (i === 3 ? { ...c, titleEn: 'Portrait photography', updatedAt: new Date('2025-02-01T00:00:00Z') } : c));
    const second = indexCatalogue(renamed, first);
    expect(second).not.toBe(first);
    expect(second.terms.get(courses[0]!.id)).toBe(first.terms.get(courses[0]!.id));
    expect(second.terms.get(courses[3]!.id)).not.toBe(first.terms.get(courses[3]!.id));
    expect(Array.from(second.postings[second.termNumber.get('portrait')!]!.courses, (i) => second.content.courseIds[i])).toEqual([courses[3]!.id]);
  });

  it('refuses an artifact of an earlier format (3: neighbour lists as JSON arrays; 2: no precomputed candidates)', () => {
    const model = denseModel(catalogueOf(10));
    expect(isServable(model.artifact)).toBe(true);
    expect(isServable({ ...model.artifact, formatVersion: 3 } as unknown as RecommenderArtifact)).toBe(false);
    expect(isServable({ ...model.artifact, formatVersion: 2 } as unknown as RecommenderArtifact)).toBe(false);
  });
});
