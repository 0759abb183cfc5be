/**
 * Maximal Marginal Relevance: picks `limit` items greedily by λ·relevance − (1−λ)·max similarity to
 * what is already picked, so the list is not five variations of one course.
 *
 * @example
 * mmr([{ id: 'a', score: 1 }, { id: 'b', score: 0.9 }, { id: 'c', score: 0.5 }], 2, 0.7, (x, y) => (x + y === 'ab' ? 1 : 0)) // a, c
 */
export function mmr<T extends { id: string; score: number }>(candidates: readonly T[], limit: number, lambda: number, similarity: (a: string, b: string) => number): T[] {
  const pool = [...candidates];
  const picked: T[] = [];
  const max = Math.max(1e-9, ...pool.map((c) => Math.abs(c.score)));
  // Each candidate's highest similarity to anything picked so far, updated with the newest pick
  // only: O(limit × candidates) similarities instead of O(limit² × candidates).
  const redundancy = new Array<number>(pool.length).fill(0);
  while (picked.length < limit && pool.length > 0) {
    let bestAt = 0;
    let best = -Infinity;
    pool.forEach((c, i) => {
      const value = lambda * (c.score / max) - (1 - lambda) * redundancy[i]!;
      if (value > best) [best, bestAt] = [value, i];
    });
    const [chosen] = pool.splice(bestAt, 1);
    redundancy.splice(bestAt, 1);
    picked.push(chosen!);
    pool.forEach((c, i) => (redundancy[i] = Math.max(redundancy[i]!, similarity(c.id, chosen!.id))));
  }
  return picked;
}
