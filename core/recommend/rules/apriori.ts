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

/** Baskets larger than this count towards pairs only: their triples would outnumber everything else. */
const MAX_BASKET_FOR_TRIPLES = 40;

/**
 * Apriori frequent itemsets over purchase baskets, then rules with one consequent, sorted by lift
 * then confidence. Itemsets are counted from the baskets themselves (each basket's combinations of
 * frequent items whose every smaller subset is frequent), never by listing every candidate pair of
 * the catalogue: at 5,000 courses that list alone would hold 12.5 million pairs. Cost grows with the
 * baskets' sizes, not the catalogue's.
 *
 * @example
 * associationRules([['a', 'b'], ['a', 'b'], ['a']], { minCount: 2, minConfidence: 0.6 })
 * // [{ antecedent: ['b'], consequent: 'a', support: 0.667, confidence: 1, lift: 1 }, …]
 */
export function associationRules(baskets: ReadonlyArray<readonly string[]>, options: AprioriOptions): AssociationRule[] {
  const n = baskets.length;
  if (n === 0) return [];
  const minCount = Math.max(1, options.minCount ?? 1, Math.ceil((options.minSupport ?? 0) * n));
  const supportOf = new Map<string, number>();
  const keyOf = (items: readonly string[]) => items.join('\u0001');
  const single = new Map<string, number>();
  const sets = baskets.map((b) => [...new Set(b)].sort());
  for (const s of sets) for (const item of s) single.set(item, (single.get(item) ?? 0) + 1);
  let frequent = new Set<string>();
  for (const [item, c] of single) if (c >= minCount) {
    frequent.add(item);
    supportOf.set(item, c);
  }
  // Only frequent courses can be in a frequent itemset (Apriori): drop the rest from every basket once.
  const kept = sets.map((s) => s.filter((item) => frequent.has(item))).filter((s) => s.length > 1);
  for (let size = 2; size <= (options.maxSize ?? 3) && frequent.size > 1; size++) {
    const counts = new Map<string, number>();
    for (const s of kept) {
      if (s.length < size || (size > 2 && s.length > MAX_BASKET_FOR_TRIPLES)) continue;
      for (const itemset of combinations(s, size)) {
        // Apriori pruning: every subset one smaller must itself be frequent.
        if (size > 2 && !itemset.every((_, drop) => frequent.has(keyOf(itemset.filter((__, x) => x !== drop))))) continue;
        const key = keyOf(itemset);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    frequent = new Set();
    for (const [key, count] of counts) if (count >= minCount) {
      frequent.add(key);
      supportOf.set(key, count);
    }
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

/** Every `size`-item combination of a sorted list, in order. */
function* combinations(items: readonly string[], size: number, from = 0, prefix: string[] = []): Generator<string[]> {
  if (prefix.length === size) {
    yield [...prefix];
    return;
  }
  for (let i = from; i <= items.length - (size - prefix.length); i++) {
    prefix.push(items[i]!);
    yield* combinations(items, size, i + 1, prefix);
    prefix.pop();
  }
}
