/** "Followers who bought `antecedent` also bought `consequent`." */
export interface AssociationRule {
  antecedent: string[];
  consequent: string;
  /** Share of baskets holding antecedent ∪ consequent. */
  support: number;
  /** P(consequent | antecedent). */
  confidence: number;
  /** confidence / P(consequent); above 1 means the pair goes together more than chance. */
  lift: number;
}

export interface AprioriOptions {
  /**
   * Fewest baskets an itemset must be in. A count, not a share: at 5,000 courses no pair is ever
   * bought by 1 % of buyers, yet a pair bought together by a handful of people is a real signal.
   */
  minCount?: number;
  /** Smallest share of baskets an itemset must be in; 0 by default (the count decides). */
  minSupport?: number;
  minConfidence: number;
  /** Largest itemset size considered (antecedent + consequent). */
  maxSize?: number;
}

/**
 * Apriori frequent itemsets over purchase baskets, then rules with one consequent, sorted by lift
 * then confidence. Meant for catalogues of courses (hundreds to a few thousand items).
 *
 * @example
 * associationRules([['a', 'b'], ['a', 'b'], ['a']], { minCount: 2, minConfidence: 0.6 })
 * // [{ antecedent: ['b'], consequent: 'a', support: 0.667, confidence: 1, lift: 1 }, …]
 */
export function associationRules(baskets: ReadonlyArray<readonly string[]>, options: AprioriOptions): AssociationRule[] {
  const n = baskets.length;
  if (n === 0) return [];
  const sets = baskets.map((b) => [...new Set(b)].sort());
  const minCount = Math.max(1, options.minCount ?? 1, Math.ceil((options.minSupport ?? 0) * n));
  const supportOf = new Map<string, number>();
  const keyOf = (items: readonly string[]) => items.join('\u0001');
  let frequent: string[][] = [];
  const single = new Map<string, number>();
  for (const s of sets) for (const item of s) single.set(item, (single.get(item) ?? 0) + 1);
  for (const [item, c] of single) if (c >= minCount) {
    frequent.push([item]);
    supportOf.set(item, c);
  }
  frequent.sort((a, b) => a[0]!.localeCompare(b[0]!));
  for (let size = 2; size <= (options.maxSize ?? 3) && frequent.length > 1; size++) {
    const frequentKeys = new Set(frequent.map(keyOf));
    const candidates: string[][] = [];
    for (let i = 0; i < frequent.length; i++) {
      for (let j = i + 1; j < frequent.length; j++) {
        const a = frequent[i]!;
        const b = frequent[j]!;
        if (keyOf(a.slice(0, -1)) !== keyOf(b.slice(0, -1))) continue;
        const c = [...a, b[b.length - 1]!].sort();
        // Apriori pruning: every subset one smaller must itself be frequent.
        if (c.every((_, drop) => frequentKeys.has(keyOf(c.filter((__, x) => x !== drop))))) candidates.push(c);
      }
    }
    const counts = new Map<string, number>();
    for (const s of sets) {
      if (s.length < size) continue;
      const has = new Set(s);
      for (const c of candidates) if (c.every((item) => has.has(item))) counts.set(keyOf(c), (counts.get(keyOf(c)) ?? 0) + 1);
    }
    frequent = candidates.filter((c) => (counts.get(keyOf(c)) ?? 0) >= minCount);
    for (const c of frequent) supportOf.set(keyOf(c), counts.get(keyOf(c))!);
  }
  const rules: AssociationRule[] = [];
  for (const [key, count] of supportOf) {
    const items = key.split('\u0001');
    if (items.length < 2) continue;
    for (const consequent of items) {
      const antecedent = items.filter((i) => i !== consequent);
      const antecedentCount = supportOf.get(keyOf(antecedent));
      if (!antecedentCount) continue;
      const confidence = count / antecedentCount;
      if (confidence < options.minConfidence) continue;
      const lift = confidence / (supportOf.get(consequent)! / n);
      rules.push({ antecedent, consequent, support: count / n, confidence, lift });
    }
  }
  return rules.sort((a, b) => b.lift - a.lift || b.confidence - a.confidence || a.consequent.localeCompare(b.consequent));
}
