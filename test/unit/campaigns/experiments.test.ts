import {
  assignVariant, betaCdf, betaQuantile, chooseVariantThompson, computeExperimentResults, seededRandom, twoProportionZTest, type VariantStats,
} from '../../../core/experiments/index.js';

describe('sticky A/B assignment', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => `follower-${i}`);

  it('gives a follower the same variant every time, and different experiments independent splits', () => {
    const variants = [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }];
    for (const id of ids.slice(0, 100)) expect(assignVariant('exp-1', id, variants)).toBe(assignVariant('exp-1', id, variants));
    const inA1 = ids.filter((id) => assignVariant('exp-1', id, variants) === 'A');
    const inA2 = ids.filter((id) => assignVariant('exp-2', id, variants) === 'A');
    expect(inA1.length / ids.length).toBeGreaterThan(0.47);
    expect(inA1.length / ids.length).toBeLessThan(0.53);
    const overlap = inA1.filter((id) => new Set(inA2).has(id)).length / inA1.length;
    expect(overlap).toBeGreaterThan(0.45);
    expect(overlap).toBeLessThan(0.55);
  });

  it('follows the weights', () => {
    const share = ids.filter((id) => assignVariant('exp-w', id, [{ key: 'A', weight: 3 }, { key: 'B', weight: 1 }]) === 'A').length / ids.length;
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.78);
  });
});

describe('significance and credible intervals', () => {
  it('computes the pooled two-proportion z-test', () => {
    const { z, pValue } = twoProportionZTest({ sent: 1000, conversions: 50 }, { sent: 1000, conversions: 80 });
    // p1 = .05, p2 = .08, pooled = .065, se = sqrt(.065 * .935 * .002) = .011025
    expect(z).toBeCloseTo(0.03 / Math.sqrt(0.065 * 0.935 * 0.002), 6);
    expect(pValue).toBeGreaterThan(0.005);
    expect(pValue).toBeLessThan(0.008);
  });

  it('gets Beta CDF and quantiles right on cases with closed forms', () => {
    expect(betaCdf(0.5, 2, 2)).toBeCloseTo(0.5, 9);
    expect(betaCdf(0.3, 1, 1)).toBeCloseTo(0.3, 9);
    // Beta(2, 1) has CDF x^2.
    expect(betaCdf(0.6, 2, 1)).toBeCloseTo(0.36, 9);
    expect(betaQuantile(0.025, 1, 1)).toBeCloseTo(0.025, 9);
    expect(betaQuantile(0.81, 2, 1)).toBeCloseTo(0.9, 9);
  });

  it('reports per-variant rates, intervals, chance of being best and significance against the control', () => {
    const results = computeExperimentResults([
      { variant: 'A', sent: 2000, conversions: 60 },
      { variant: 'B', sent: 2000, conversions: 110 },
    ]);
    const [a, b] = results;
    expect(a!.conversionRate).toBeCloseTo(0.03, 9);
    expect(a!.credibleInterval[0]).toBeLessThan(0.03);
    expect(a!.credibleInterval[1]).toBeGreaterThan(0.03);
    expect(a!.versusControl).toBeNull();
    expect(b!.versusControl!.isSignificant).toBe(true);
    expect(b!.probabilityBest).toBeGreaterThan(0.99);
    expect(a!.probabilityBest + b!.probabilityBest).toBeCloseTo(1, 9);
  });
});

describe('Thompson sampling bandit', () => {
  it('shifts traffic to the better variant as results arrive', () => {
    const random = seededRandom(7);
    const trueRates: Record<string, number> = { A: 0.02, B: 0.1, C: 0.04 };
    const stats: VariantStats[] = Object.keys(trueRates).map((variant) => ({ variant, sent: 0, conversions: 0 }));
    const late: Record<string, number> = { A: 0, B: 0, C: 0 };
    for (let round = 0; round < 3000; round++) {
      const chosen = chooseVariantThompson(stats, random);
      const s = stats.find((x) => x.variant === chosen)!;
      s.sent += 1;
      if (random() < trueRates[chosen]!) s.conversions += 1;
      if (round >= 2000) late[chosen]! += 1;
    }
    expect(late['B']! / 1000).toBeGreaterThan(0.8);
    expect(stats.every((s) => s.sent > 0)).toBe(true);
  });
});
