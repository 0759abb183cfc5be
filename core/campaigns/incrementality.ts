/** One arm of a broadcast's audience: how many members, how many bought in the window, what they paid. */
export interface ArmOutcome {
  members: number;
  /** Members with a paid order within the broadcast's attribution window. */
  buyers: number;
  /** Per currency (never summed across currencies): the total, and the sum of squares of each member's total, for the interval. */
  revenue: Array<{ currency: string; amountMinor: number; sumOfSquares: number }>;
}

/** Incremental conversions and revenue of a broadcast: sent arm against held-out members. */
export interface IncrementalResult {
  sent: { members: number; buyers: number; rate: number };
  /** The broadcast's holdout and the members in the global control group, pooled. */
  heldOut: { members: number; buyers: number; rate: number };
  /** Rate sent minus rate held out, with a 95 % interval; null until both arms have members. */
  lift: { absolute: number; interval: [number, number] } | null;
  /** Buyers the broadcast added (lift × members sent), with a 95 % interval; null with `lift`. */
  incrementalBuyers: { estimate: number; interval: [number, number] } | null;
  /** Revenue the broadcast added per currency (per-member difference × members sent), with a 95 % interval. */
  incrementalRevenue: Array<{ currency: string; estimateMinor: number; intervalMinor: [number, number] }>;
}

const Z95 = 1.959964;

function rateOf(arm: ArmOutcome): number {
  return arm.members === 0 ? 0 : arm.buyers / arm.members;
}

/** Mean and variance of one member's revenue in a currency (members who paid nothing count as 0). */
function revenueMoments(arm: ArmOutcome, currency: string): { mean: number; variance: number } {
  const found = arm.revenue.find((r) => r.currency === currency);
  if (!found || arm.members === 0) return { mean: 0, variance: 0 };
  const mean = found.amountMinor / arm.members;
  return { mean, variance: Math.max(0, found.sumOfSquares / arm.members - mean * mean) };
}

/**
 * Compares the members a broadcast was sent to (intention to treat: every member put in its outbox,
 * whether the guards later let the message through or not) with the members held out of it, each
 * over the broadcast's attribution window: the difference of buying rates with a Wald 95 %
 * interval, and the incremental buyers and revenue it implies for the members sent.
 *
 * @example
 * computeIncrementality({ members: 900, buyers: 45, revenue: [] }, { members: 100, buyers: 2, revenue: [] }).lift
 * // { absolute: 0.03, interval: [0.0003, 0.0597] }
 */
export function computeIncrementality(sent: ArmOutcome, heldOut: ArmOutcome): IncrementalResult {
  const p1 = rateOf(sent);
  const p0 = rateOf(heldOut);
  const isComparable = sent.members > 0 && heldOut.members > 0;
  const se = isComparable ? Math.sqrt((p1 * (1 - p1)) / sent.members + (p0 * (1 - p0)) / heldOut.members) : 0;
  const lift = isComparable ? { absolute: p1 - p0, interval: [p1 - p0 - Z95 * se, p1 - p0 + Z95 * se] as [number, number] } : null;
  const currencies = [...new Set([...sent.revenue, ...heldOut.revenue].map((r) => r.currency))].sort();
  return {
    sent: { members: sent.members, buyers: sent.buyers, rate: p1 },
    heldOut: { members: heldOut.members, buyers: heldOut.buyers, rate: p0 },
    lift,
    incrementalBuyers: lift ? { estimate: lift.absolute * sent.members, interval: [lift.interval[0] * sent.members, lift.interval[1] * sent.members] } : null,
    incrementalRevenue: isComparable
      ? currencies.map((currency) => {
          const a = revenueMoments(sent, currency);
          const b = revenueMoments(heldOut, currency);
          const perMember = a.mean - b.mean;
          const spread = Z95 * Math.sqrt(a.variance / sent.members + b.variance / heldOut.members);
          return { currency, estimateMinor: Math.round(perMember * sent.members), intervalMinor: [Math.round((perMember - spread) * sent.members), Math.round((perMember + spread) * sent.members)] };
        })
      : [],
  };
}
