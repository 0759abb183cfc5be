import { chooseMmrLambda, momentNdcg, momentNdcgs, tuneBlend, winsClearly } from '../../../core/recommend/training/tune-blend.js';
import { defaultRankerWeights, RANKER_FEATURES, seededRandom } from '../../../core/recommend/index.js';

const at = (name: (typeof RANKER_FEATURES)[number]) => RANKER_FEATURES.indexOf(name);

/** Moments where only `ease` tells the taken course apart; `popularity` points at a wrong one. */
function moments(n: number) {
  const random = seededRandom(5);
  const rows: number[][] = [];
  const labels: number[] = [];
  const groups: number[] = [];
  const ids: string[] = [];
  for (let m = 0; m < n; m++) {
    for (let c = 0; c < 30; c++) {
      const x = RANKER_FEATURES.map(() => 0);
      const isTaken = c === 0;
      x[at('ease')] = isTaken ? 0.6 + 0.4 * random() : 0.5 * random();
      x[at('popularity')] = c === 1 ? 1 : 0.9 * random();
      rows.push(x);
      labels.push(isTaken ? 1 : 0);
      groups.push(m);
      ids.push(`m${m}c${c}`);
    }
  }
  return { rows, labels, groups, ids };
}

describe('momentNdcg', () => {
  it('is 1 when every moment puts its taken course first and less when it does not', () => {
    expect(momentNdcg([0.9, 0.1, 0.5], [1, 0, 0], [0, 0, 0])).toBe(1);
    expect(momentNdcg([0.1, 0.9], [1, 0], [0, 0])).toBeCloseTo(1 / Math.log2(3));
    // The mean over moments, not over rows.
    expect(momentNdcg([0.9, 0.1, 0.1, 0.9], [1, 0, 1, 0], [0, 0, 1, 1])).toBeCloseTo((1 + 1 / Math.log2(3)) / 2);
  });

  it('gives a scorer that cannot tell candidates apart nothing for the order the rows were built in', () => {
    // Rows list the taken course first; equal scores must not put it on top.
    expect(momentNdcg([0.5, 0.5, 0.5], [1, 0, 0], [0, 0, 0])).toBeCloseTo(1 / Math.log2(4));
  });
});

describe('winsClearly', () => {
  it('takes a consistent win over the same moments, not a win the noise could give', () => {
    const random = seededRandom(3);
    const incumbent = Array.from({ length: 400 }, () => random());
    // +0.1 on every moment: clear. +0.1 on half of them and −0.09 on the rest: a mean of +0.005, well inside the noise.
    expect(winsClearly(incumbent.map((x) => x + 0.1), incumbent)).toBe(true);
    expect(winsClearly(incumbent.map((x, i) => x + (i % 2 ? 0.1 : -0.09)), incumbent)).toBe(false);
    expect(winsClearly(incumbent, incumbent)).toBe(false);
    expect(winsClearly([1], [0])).toBe(false);
  });

  it('pairs moments as momentNdcg averages them', () => {
    const each = momentNdcgs([0.9, 0.1, 0.1, 0.9], [1, 0, 1, 0], [0, 0, 1, 1]);
    expect(each[0]).toBe(1);
    expect(each[1]).toBeCloseTo(1 / Math.log2(3));
    expect(momentNdcg([0.9, 0.1, 0.1, 0.9], [1, 0, 1, 0], [0, 0, 1, 1])).toBeCloseTo((each[0]! + each[1]!) / 2);
  });
});

describe('tuneBlend', () => {
  it('moves weight to the feature that ranks the taken course first, and never ranks worse than the prior', () => {
    const data = moments(200);
    const prior = momentNdcg(data.rows.map((x) => x.reduce((s, v, f) => s + v * defaultRankerWeights().w1[f]!, 0)), data.labels, data.groups);
    const { weights, ndcg } = tuneBlend(data);
    expect(ndcg).toBeGreaterThan(prior);
    expect(weights.w1[at('ease')]! / weights.w1[at('popularity')]!).toBeGreaterThan(defaultRankerWeights().w1[at('ease')]! / defaultRankerWeights().w1[at('popularity')]!);
    expect(weights.hidden).toBe(1);
  });
});

describe('chooseMmrLambda', () => {
  it('keeps pure relevance when diversity would push the taken course off the list', () => {
    // The taken course b is second and a near copy of the first; c scores almost as high.
    const rows = [[0], [0], [0]];
    const data = { rows, labels: [0, 1, 0], groups: [0, 0, 0], ids: ['a', 'b', 'c'] };
    const scores = [1, 0.9, 0.88];
    // b is a copy of a, c is unlike both: any diversity puts c before b.
    const similarity = (x: string, y: string) => ((x + y).includes('a') && (x + y).includes('b') ? 1 : 0);
    const { lambda, ndcgByLambda } = chooseMmrLambda(data, scores, similarity);
    expect(lambda).toBe(1);
    expect(ndcgByLambda['0.75']!).toBeLessThan(ndcgByLambda['1']!);
  });

  it('chooses the most diverse setting when diversity costs nothing', () => {
    const data = { rows: [[0], [0], [0]], labels: [1, 0, 0], groups: [0, 0, 0], ids: ['a', 'b', 'c'] };
    expect(chooseMmrLambda(data, [1, 0.9, 0.1], () => 0).lambda).toBe(0.75);
  });
});
