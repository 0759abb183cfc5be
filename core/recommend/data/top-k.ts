export { seededRandom } from '../../random.js';
/**
 * Indices of the `k` largest scores, best first, skipping excluded indices and non-finite scores.
 * Uses a small binary min-heap, so it is O(n log k).
 *
 * @example
 * topK(Float64Array.of(0.1, 0.9, 0.5), 2) // [1, 2]
 */
export function topK(scores: ArrayLike<number>, k: number, isExcluded?: (index: number) => boolean): number[] {
  const heapIdx: number[] = [];
  const heapVal: number[] = [];
  const swap = (a: number, b: number) => {
    [heapIdx[a], heapIdx[b]] = [heapIdx[b]!, heapIdx[a]!];
    [heapVal[a], heapVal[b]] = [heapVal[b]!, heapVal[a]!];
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) continue;
    if (heapIdx.length === k && s <= heapVal[0]!) continue;
    if (isExcluded?.(i)) continue;
    if (heapIdx.length < k) {
      heapIdx.push(i);
      heapVal.push(s);
      let c = heapIdx.length - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapVal[p]! <= heapVal[c]!) break;
        swap(p, c);
        c = p;
      }
    } else {
      heapIdx[0] = i;
      heapVal[0] = s;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < k && heapVal[l]! < heapVal[m]!) m = l;
        if (r < k && heapVal[r]! < heapVal[m]!) m = r;
        if (m === p) break;
        swap(p, m);
        p = m;
      }
    }
  }
  const order = heapIdx.map((idx, j) => [idx, heapVal[j]!] as const);
  order.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return order.map(([idx]) => idx);
}

