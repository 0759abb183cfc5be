import { defaultRankerWeights, hydrateModel, seededRandom, type RecommenderArtifact } from '../../../core/recommend/index.js';
import type { ItemNeighbours } from '../../../core/recommend/algorithms/item-knn.js';
import { RECOMMENDER_FORMAT_VERSION, storeNeighbours, type StoredNeighbours } from '../../../core/recommend/serving/recommender-model.js';

/** Neighbour lists of every kind of similarity: ordinary ones, ones at the rounding's edges, and the values JSON cannot write. */
function neighboursOf(nItems: number, perItem: number): ItemNeighbours {
  const random = seededRandom(7);
  const edges = [0, -0, 1, -1, 0.000005, -0.000005, 0.123455, 0.999995, 1e-7, -1e-7, 3.4e38, 1e-40, NaN, Infinity, -Infinity];
  // Views at an offset into larger buffers, as a fit may hand them over.
  const offsets = new Int32Array(nItems + 2).subarray(1);
  const neighbours = new Int32Array(nItems * perItem + 1).subarray(1);
  const similarities = new Float32Array(nItems * perItem + 3).subarray(3);
  for (let i = 0; i < nItems; i++) {
    for (let k = 0; k < perItem; k++) {
      const p = i * perItem + k;
      neighbours[p] = Math.floor(random() * nItems);
      similarities[p] = p < edges.length ? edges[p]! : (random() - 0.2) * 10 ** Math.floor(random() * 6 - 4);
    }
    offsets[i + 1] = (i + 1) * perItem;
  }
  return { nItems, offsets, neighbours, similarities };
}

/** What serving read from format 3's JSON arrays: the old store, JSON and load, as they were. */
function servedFromJsonArrays(nb: ItemNeighbours) {
  const stored = { offsets: Array.from(nb.offsets), items: Array.from(nb.neighbours), sims: Array.from(nb.similarities, (s) => Math.round(s * 1e5) / 1e5) };
  const read = JSON.parse(JSON.stringify(stored)) as typeof stored;
  return { offsets: Int32Array.from(read.offsets), neighbours: Int32Array.from(read.items), similarities: Float32Array.from(read.sims) };
}

function artifactWith(nItems: number, stored: StoredNeighbours): RecommenderArtifact {
  return {
    formatVersion: RECOMMENDER_FORMAT_VERSION, trainedAt: '2026-03-01T00:00:00.000Z', courseIds: Array.from({ length: nItems }, (_, i) => `course-${i}`),
    generators: ['item_cf', 'ease', 'rp3beta'], popularity: [], trending: [], neighbours: stored, ease: stored, rp3beta: stored, segmentModel: null, segmentPopularity: [],
    candidates: { popular: [], segmentPopular: [], trending: [] }, rules: [], ranker: defaultRankerWeights(), rankerChoice: null,
  };
}

/** The bytes of a typed array, to compare bit for bit (-0 and NaN included). */
const bytesOf = (values: Int32Array | Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

describe('stored neighbour lists', () => {
  it.each([[1, 3], [40, 25], [500, 200]])('serve the same values as the JSON arrays did, through the JSON a save writes (%i items × %i)', (nItems, perItem) => {
    const nb = neighboursOf(nItems, perItem);
    const expected = servedFromJsonArrays(nb);
    const read = JSON.parse(JSON.stringify(artifactWith(nItems, storeNeighbours(nb)))) as RecommenderArtifact;
    const model = hydrateModel(read);
    for (const served of [model.neighbours, model.ease!, model.rp3beta!]) {
      expect(served.nItems).toBe(nItems);
      expect(served.offsets).toBeInstanceOf(Int32Array);
      expect(served.neighbours).toBeInstanceOf(Int32Array);
      expect(served.similarities).toBeInstanceOf(Float32Array);
      expect(bytesOf(served.offsets).equals(bytesOf(expected.offsets))).toBe(true);
      expect(bytesOf(served.neighbours).equals(bytesOf(expected.neighbours))).toBe(true);
      expect(bytesOf(served.similarities).equals(bytesOf(expected.similarities))).toBe(true);
    }
  });

  it('refuses a list whose bytes are not whole 4-byte values', () => {
    const stored = storeNeighbours(neighboursOf(2, 2));
    expect(() => hydrateModel(artifactWith(2, { ...stored, items: Buffer.from([1, 2, 3]).toString('base64') }))).toThrow(RangeError);
  });
});
