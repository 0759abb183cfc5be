import type { CourseInteraction } from '../../../core/ports/index.js';
import {
  csrFromPairs, DEFAULT_GENERATOR_SETTINGS, EaseModel, easeNeighbours, easeSkipReason, eventLogOf, fitGenerators, initTensorflowBackend, invertSpdBlockedInPlace, invertSpdInPlace,
  packedRowBase, packedSize, seededRandom, type Csr,
} from '../../../core/recommend/index.js';

/** A random symmetric positive-definite matrix shaped like XᵀX + λI: small non-negative counts, a λ diagonal. */
function randomGram(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = random() < 0.3 ? Math.floor(random() * 6) : 0;
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
  for (let i = 0; i < n; i++) m[i * n + i]! += n / 2;
  return m;
}

/** The upper triangle of a square n × n matrix, packed by rows, in Float32 (on shared memory when asked). */
function packUpper(m: Float64Array, n: number, shared = false): Float32Array {
  const packed = shared ? new Float32Array(new SharedArrayBuffer(4 * packedSize(n))) : new Float32Array(packedSize(n));
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) packed[packedRowBase(i, n) + j] = m[i * n + j]!;
  return packed;
}

/** Max |packed − upper(exact)| relative to the largest |exact| entry. */
function upperError(a: Float32Array, exact: Float64Array, n: number): number {
  expect(a).toHaveLength(packedSize(n));
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      diff = Math.max(diff, Math.abs(a[packedRowBase(i, n) + j]! - exact[i * n + j]!));
      scale = Math.max(scale, Math.abs(exact[i * n + j]!));
    }
  }
  return diff / scale;
}

function randomInteractions(users: number, items: number, events: number, seed: number): Csr {
  const random = seededRandom(seed);
  const rows = Int32Array.from({ length: events }, () => Math.floor(random() * users));
  // Skewed popularity, like a course catalogue.
  const cols = Int32Array.from({ length: events }, () => Math.floor(Math.pow(random(), 2) * items));
  return csrFromPairs(users, items, rows, cols);
}

/** B as a square matrix, row by row. */
function weightsOf(model: EaseModel): Float32Array {
  const n = model.nItems;
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) model.weightRow(i, b.subarray(i * n, (i + 1) * n));
  return b;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

beforeAll(async () => {
  expect(await initTensorflowBackend()).toBe('wasm');
});

describe('invertSpdBlockedInPlace', () => {
  it('matches the Float64 sweep on a 2 × 2 by hand', () => {
    // The upper triangle of [[4, 1], [1, 2]], packed by rows.
    const a = Float32Array.of(4, 1, 2);
    invertSpdBlockedInPlace(a, 2, { blockSize: 1 });
    // [[4, 1], [1, 2]]⁻¹ = [[2, −1], [−1, 4]] / 7
    expect(a[0]).toBeCloseTo(2 / 7, 6);
    expect(a[1]).toBeCloseTo(-1 / 7, 6);
    expect(a[2]).toBeCloseTo(4 / 7, 6);
  });

  it('packs the upper triangle by rows', () => {
    const n = 4;
    const at: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) at.push(packedRowBase(i, n) + j);
    expect(at).toEqual(Array.from({ length: packedSize(n) }, (_, e) => e));
  });

  it.each([
    { n: 150, blockSize: 32, tileRows: 20, tileColumns: 1024, why: 'uneven last block, several row tiles per side' },
    { n: 150, blockSize: 32, tileRows: 20, tileColumns: 23, why: 'column chunks that straddle the diagonal and the swept block' },
    { n: 301, blockSize: 200, tileRows: 64, tileColumns: 100, why: 'pivot blocks above 128 rows are inverted recursively' },
    { n: 97, blockSize: 97, tileRows: 10, tileColumns: 1024, why: 'one block: the pivot is the whole matrix' },
  ])('equals the plain inverse ($why)', ({ n, blockSize, tileRows, tileColumns }) => {
    const exact = randomGram(n, n);
    const a = packUpper(exact, n);
    invertSpdBlockedInPlace(a, n, { blockSize, tileRows, tileColumns });
    invertSpdInPlace(exact, n);
    expect(upperError(a, exact, n)).toBeLessThan(1e-5);
  });

  it('gives the same inverse with a worker thread on shared memory', () => {
    const n = 260;
    const exact = randomGram(n, 3);
    const a = packUpper(exact, n, true);
    invertSpdBlockedInPlace(a, n, { blockSize: 48, tileRows: 30, tileColumns: 70, threads: 2 });
    invertSpdInPlace(exact, n);
    expect(upperError(a, exact, n)).toBeLessThan(1e-5);
  }, 120_000);

  it('says to raise lambda when the matrix is not positive definite', () => {
    const n = 40;
    const a = new Float32Array(packedSize(n));
    for (let i = 0; i < n; i++) a[packedRowBase(i, n) + i] = i === 25 ? -1 : 1;
    expect(() => invertSpdBlockedInPlace(a, n, { blockSize: 16 })).toThrow(/rows 16–31.*raise the regularisation/);
  });
});

describe('EaseModel blocked solver', () => {
  const train = randomInteractions(3000, 400, 20_000, 5);

  it.each([
    { lambda: 50, why: 'plain EASE' },
    { lambda: 20, dropout: 0.25, userPower: 0.5, why: 'with EDLAE dropout and user weighting' },
  ])('computes the same B as the plain sweep ($why)', (options) => {
    const sweep = new EaseModel({ ...options, solver: 'sweep' });
    sweep.fit(train);
    const blocked = new EaseModel({ ...options, solver: 'blocked', blocked: { blockSize: 64, tileRows: 48, tileColumns: 90 } });
    blocked.fit(train);
    expect(blocked.solverUsed).toBe('blocked');
    const [fast, exact] = [weightsOf(blocked), weightsOf(sweep)];
    let scale = 0;
    for (const w of exact) scale = Math.max(scale, Math.abs(w));
    expect(scale).toBeGreaterThan(0.01);
    expect(maxAbsDiff(fast, exact)).toBeLessThan(1e-5 * scale);
    for (let i = 0; i < 400; i += 37) expect(fast[i * 400 + i]).toBe(0);
    // The served neighbour lists agree too: same top neighbours of each course.
    const a = easeNeighbours(blocked, 10);
    const b = easeNeighbours(sweep, 10);
    let same = 0;
    for (let i = 0; i < 400; i++) {
      const mine = new Set(a.neighbours.subarray(a.offsets[i]!, a.offsets[i + 1]!));
      for (const j of b.neighbours.subarray(b.offsets[i]!, b.offsets[i + 1]!)) if (mine.has(j)) same++;
    }
    expect(same / b.neighbours.length).toBeGreaterThan(0.99);
  });

  it('is chosen automatically from 1,000 courses on the wasm backend, with the same B', () => {
    const big = randomInteractions(4000, 1000, 30_000, 9);
    const auto = new EaseModel({ lambda: 100 });
    auto.fit(big);
    expect(auto.solverUsed).toBe('blocked');
    const sweep = new EaseModel({ lambda: 100, solver: 'sweep' });
    sweep.fit(big);
    const exact = weightsOf(sweep);
    let scale = 0;
    for (const w of exact) scale = Math.max(scale, Math.abs(w));
    expect(maxAbsDiff(weightsOf(auto), exact)).toBeLessThan(1e-5 * scale);
    const small = new EaseModel({ lambda: 100 });
    small.fit(train);
    expect(small.solverUsed).toBe('sweep');
  });
});

describe('fitGenerators EASE cap', () => {
  const now = new Date('2026-11-01T00:00:00Z');
  const courseIds = Array.from({ length: 8 }, (_, i) => `c${i}`);
  const random = seededRandom(2);
  const events: CourseInteraction[] = Array.from({ length: 300 }, (_, id) => ({
    id, followerId: `f${Math.floor(random() * 40)}`, courseId: courseIds[Math.floor(random() * 8)]!, kind: 'click', occurredAt: new Date(now.getTime() - id * 60_000),
  }));

  it('fits EASE under the cap and skips it above, saying why', async () => {
    const skipped: string[] = [];
    const fitted = await fitGenerators(eventLogOf(events), courseIds, [], now, { onSkipped: (g, why) => skipped.push(`${g}: ${why}`) });
    expect(fitted.generators).toContain('ease');
    expect(fitted.ease).not.toBeNull();
    expect(skipped).toEqual([]);
    const capped = await fitGenerators(eventLogOf(events), courseIds, [], now, { easeMaxItems: 7, onSkipped: (g, why) => skipped.push(`${g}: ${why}`) });
    expect(capped.generators).not.toContain('ease');
    expect(capped.ease).toBeNull();
    expect(skipped).toEqual(['ease: EASE skipped: 8 courses need a 0 MB dense matrix, above the 7-course cap (easeMaxItems)']);
  });

  it('fits 10,000 courses by default on the wasm backend, and only 3,000 without it', () => {
    expect(DEFAULT_GENERATOR_SETTINGS.easeMaxItems).toBeGreaterThanOrEqual(10_000);
    expect(easeSkipReason(10_000, DEFAULT_GENERATOR_SETTINGS, true)).toBeNull();
    expect(easeSkipReason(13_000, DEFAULT_GENERATOR_SETTINGS, true)).toMatch(/13000 courses need a 322 MB dense matrix/);
    expect(easeSkipReason(5_000, DEFAULT_GENERATOR_SETTINGS, false)).toMatch(/without the wasm TensorFlow.js backend/);
    expect(easeSkipReason(3_000, DEFAULT_GENERATOR_SETTINGS, false)).toBeNull();
  });
});
