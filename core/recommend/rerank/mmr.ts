/**
 * Maximal Marginal Relevance: picks `limit` items greedily by λ·relevance − (1−λ)·max similarity to
 * what is already picked, so the list is not five variations of one course. Ties go to the
 * earlier candidate.
 *
 * @example
 * mmr([{ id: 'a', score: 1 }, { id: 'b', score: 0.9 }, { id: 'c', score: 0.5 }], 2, 0.7, (x, y) => (x + y === 'ab' ? 1 : 0)) // a, c
 */
export function mmr<T extends { id: string; score: number }>(candidates: readonly T[], limit: number, lambda: number, similarity: (a: string, b: string) => number): T[] {
  const picked: T[] = [];
  const wanted = Math.min(limit, candidates.length);
  let max = 1e-9;
  for (const c of candidates) max = Math.max(max, Math.abs(c.score));
  // Each candidate's highest similarity to anything picked so far, updated with the newest pick
  // only: O(limit × candidates) similarities instead of O(limit² × candidates).
  const redundancy = new Float64Array(candidates.length);
  const isPicked = new Uint8Array(candidates.length);
  while (picked.length < wanted) {
    let bestAt = isPicked.indexOf(0);
    let best = -Infinity;
    for (let i = bestAt; i < candidates.length; i++) {
      if (isPicked[i]) continue;
      const value = lambda * (candidates[i]!.score / max) - (1 - lambda) * redundancy[i]!;
      if (value > best) [best, bestAt] = [value, i];
    }
    const chosen = candidates[bestAt]!;
    isPicked[bestAt] = 1;
    picked.push(chosen);
    // At λ = 1 similarity weighs nothing (0 × a cosine), so it is not computed.
    if (picked.length === wanted || lambda === 1) continue;
    for (let i = 0; i < candidates.length; i++) {
      if (!isPicked[i]) redundancy[i] = Math.max(redundancy[i]!, similarity(candidates[i]!.id, chosen.id));
    }
  }
  return picked;
}
