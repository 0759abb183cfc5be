import { seededRandom } from '../data/top-k.js';

export interface KMeansResult {
  k: number;
  centroids: number[][];
  assignments: Int32Array;
  inertia: number;
}

function dist2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += (a[d]! - b[d]!) ** 2;
  return s;
}

/**
 * K-means with k-means++ seeding and a seeded generator, so the same data gives the same clusters.
 *
 * @example
 * kMeans([[0, 0], [0, 1], [10, 10], [10, 11]], 2, { seed: 1 }).assignments // [0, 0, 1, 1] (or [1, 1, 0, 0])
 */
export function kMeans(points: readonly number[][], k: number, options: { seed?: number; maxIterations?: number } = {}): KMeansResult {
  const random = seededRandom(options.seed ?? 1);
  const n = points.length;
  const centroids: number[][] = [[...points[Math.floor(random() * n)]!]];
  const nearest = new Float64Array(n).fill(Infinity);
  while (centroids.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, dist2(points[i]!, centroids[centroids.length - 1]!));
      total += nearest[i]!;
    }
    let r = random() * total;
    let pick = 0;
    for (; pick < n - 1; pick++) {
      r -= nearest[pick]!;
      if (r <= 0) break;
    }
    centroids.push([...points[pick]!]);
  }
  const assignments = new Int32Array(n).fill(-1);
  let inertia = 0;
  for (let iter = 0; iter < (options.maxIterations ?? 100); iter++) {
    let changed = false;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      centroids.forEach((c, j) => {
        const d = dist2(points[i]!, c);
        if (d < bestD) [best, bestD] = [j, d];
      });
      if (assignments[i] !== best) changed = true;
      assignments[i] = best;
      inertia += bestD;
    }
    if (!changed) break;
    const dims = points[0]?.length ?? 0;
    const sums = centroids.map(() => new Array<number>(dims).fill(0));
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      const a = assignments[i]!;
      counts[a]! += 1;
      points[i]!.forEach((x, d) => (sums[a]![d]! += x));
    }
    centroids.forEach((c, j) => {
      if (counts[j]! > 0) for (let d = 0; d < dims; d++) c[d] = sums[j]![d]! / counts[j]!;
    });
  }
  return { k, centroids, assignments, inertia };
}

/**
 * Mean silhouette coefficient (−1…1, higher is better separated). O(n²): pass a sample for large n.
 *
 * @example
 * silhouette(points, result.assignments, 2) // ≈ 0.9 for two far-apart blobs
 */
export function silhouette(points: readonly number[][], assignments: ArrayLike<number>, k: number): number {
  const n = points.length;
  if (k < 2 || n <= k) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sum = new Array<number>(k).fill(0);
    const count = new Array<number>(k).fill(0);
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      sum[assignments[j]!]! += Math.sqrt(dist2(points[i]!, points[j]!));
      count[assignments[j]!]! += 1;
    }
    const own = assignments[i]!;
    if (count[own] === 0) continue;
    const a = sum[own]! / count[own]!;
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && count[c]! > 0) b = Math.min(b, sum[c]! / count[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b) || 0;
  }
  return total / n;
}

/**
 * Runs K-means for each k in [minK, maxK] and keeps the one with the best silhouette (computed on at
 * most `sampleSize` points).
 *
 * @example
 * const { k } = chooseKBySilhouette(points, { minK: 2, maxK: 8 });
 */
export function chooseKBySilhouette(points: readonly number[][], options: { minK?: number; maxK?: number; seed?: number; sampleSize?: number } = {}): KMeansResult & { silhouette: number } {
  const minK = options.minK ?? 2;
  const maxK = Math.min(options.maxK ?? 8, points.length - 1);
  const seed = options.seed ?? 1;
  const sampleSize = options.sampleSize ?? 1500;
  const random = seededRandom(seed + 7);
  const sample = points.length <= sampleSize ? points.map((_, i) => i) : Array.from({ length: sampleSize }, () => Math.floor(random() * points.length));
  let best: (KMeansResult & { silhouette: number }) | null = null;
  for (let k = minK; k <= maxK; k++) {
    const result = kMeans(points, k, { seed });
    const score = silhouette(sample.map((i) => points[i]!), sample.map((i) => result.assignments[i]!), k);
    if (!best || score > best.silhouette + 1e-9) best = { ...result, silhouette: score };
  }
  return best ?? { ...kMeans(points, 1, { seed }), silhouette: 0 };
}
