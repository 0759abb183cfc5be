import { betaQuantile, sampleBeta, seededRandom, type Random } from './beta-distribution.js';

/** What happened to one variant: messages sent and how many of those converted in the window. */
export interface VariantStats {
  variant: string;
  sent: number;
  conversions: number;
}

export interface VariantResult extends VariantStats {
  conversionRate: number;
  /** 95% equal-tailed credible interval of the rate under a Beta(1, 1) prior. */
  credibleInterval: [number, number];
  /** Posterior probability that this variant has the highest rate (Monte Carlo, seeded). */
  probabilityBest: number;
  /** Two-proportion z-test against the first variant (the control); null for the control itself or without data. */
  versusControl: { z: number; pValue: number; isSignificant: boolean } | null;
}

/** Standard normal CDF (Zelen and Severo 26.2.17, error below 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z > 0 ? 1 - p : p;
}

/**
 * Two-proportion z-test with a pooled standard error; two-sided p-value.
 *
 * @example
 * twoProportionZTest({ sent: 1000, conversions: 50 }, { sent: 1000, conversions: 80 }); // { z: 2.73…, pValue: 0.006… }
 */
export function twoProportionZTest(control: { sent: number; conversions: number }, treatment: { sent: number; conversions: number }): { z: number; pValue: number } {
  if (control.sent === 0 || treatment.sent === 0) return { z: 0, pValue: 1 };
  const p1 = control.conversions / control.sent;
  const p2 = treatment.conversions / treatment.sent;
  const pooled = (control.conversions + treatment.conversions) / (control.sent + treatment.sent);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.sent + 1 / treatment.sent));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (p2 - p1) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

/**
 * Results per variant of an A/B test or bandit: rates, Beta credible intervals, the chance each is
 * best, and a z-test of each against the control (the first variant) at `alpha`.
 *
 * @example
 * computeExperimentResults([{ variant: 'A', sent: 500, conversions: 20 }, { variant: 'B', sent: 500, conversions: 41 }]);
 */
export function computeExperimentResults(stats: readonly VariantStats[], options: { alpha?: number; draws?: number; random?: Random } = {}): VariantResult[] {
  const alpha = options.alpha ?? 0.05;
  const draws = options.draws ?? 4000;
  const random = options.random ?? seededRandom(20_261_128);
  const wins = new Array<number>(stats.length).fill(0);
  if (stats.length > 0) {
    for (let i = 0; i < draws; i++) {
      let best = 0;
      let bestValue = -1;
      stats.forEach((s, index) => {
        const value = sampleBeta(1 + s.conversions, 1 + s.sent - s.conversions, random);
        if (value > bestValue) {
          bestValue = value;
          best = index;
        }
      });
      wins[best]! += 1;
    }
  }
  const control = stats[0];
  return stats.map((s, index) => {
    const a = 1 + s.conversions;
    const b = 1 + s.sent - s.conversions;
    const test = index > 0 && control && control.sent > 0 && s.sent > 0 ? twoProportionZTest(control, s) : null;
    return {
      ...s,
      conversionRate: s.sent === 0 ? 0 : s.conversions / s.sent,
      credibleInterval: [betaQuantile(0.025, a, b), betaQuantile(0.975, a, b)],
      probabilityBest: stats.length === 0 ? 0 : wins[index]! / draws,
      versusControl: test ? { ...test, isSignificant: test.pValue < alpha } : null,
    };
  });
}
