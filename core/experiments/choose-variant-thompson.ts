import { sampleBeta, type Random } from './beta-distribution.js';
import type { VariantStats } from './compute-experiment-results.js';

/**
 * Thompson sampling: draws a conversion rate for each variant from its Beta(1 + conversions,
 * 1 + failures) posterior and picks the highest, so traffic drifts to the winner as results arrive
 * while losers still get the occasional look.
 *
 * @example
 * chooseVariantThompson([{ variant: 'A', sent: 100, conversions: 2 }, { variant: 'B', sent: 100, conversions: 9 }], Math.random); // usually 'B'
 */
export function chooseVariantThompson(stats: readonly VariantStats[], random: Random): string {
  if (stats.length === 0) throw new RangeError('chooseVariantThompson needs at least one variant');
  let best = stats[0]!.variant;
  let bestDraw = -1;
  for (const s of stats) {
    const draw = sampleBeta(1 + s.conversions, 1 + Math.max(0, s.sent - s.conversions), random);
    if (draw > bestDraw) {
      bestDraw = draw;
      best = s.variant;
    }
  }
  return best;
}
