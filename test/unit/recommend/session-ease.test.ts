import { csrFromPairs, EaseModel, evaluateModel, invertSpdInPlace, parseInteractions, SessionEaseModel, sessionCooccurrence, type InteractionContext, type TopNModel } from '../../../core/recommend/index.js';
import type { Csr } from '../../../core/recommend/data/csr.js';

describe('sessionCooccurrence', () => {
  it('weights each same-user pair by exp(-|dt| / tau) and skips unknown or distant times', () => {
    // one user: item 0 at t=0, item 1 at t=60, item 2 at t=6000 (100 tau away), item 3 at an unknown time
    const train = csrFromPairs(1, 4, [0, 0, 0, 0], [0, 1, 2, 3]);
    const m = sessionCooccurrence(train, Float64Array.of(0, 60, 6000, Number.NaN), 60);
    expect(m[0 * 4 + 1]).toBeCloseTo(Math.exp(-1), 12);
    expect(m[1 * 4 + 0]).toBeCloseTo(Math.exp(-1), 12);
    expect(m[0 * 4 + 2]).toBe(0);
    expect(m[1 * 4 + 3]).toBe(0);
    expect([m[0], m[5], m[10], m[15]]).toEqual([0, 0, 0, 0]);
  });

  it('adds pairs over users', () => {
    const train = csrFromPairs(2, 2, [0, 0, 1, 1], [0, 1, 0, 1]);
    const m = sessionCooccurrence(train, Float64Array.of(5, 5, 100, 130), 30);
    expect(m[1]).toBeCloseTo(1 + Math.exp(-1), 12);
  });
});

describe('SessionEaseModel', () => {
  // users a and b both took items 0 and 1; a in the same second, b at unknown times
  const train = csrFromPairs(2, 2, [0, 0, 1, 1], [0, 1, 0, 1]);
  const context: InteractionContext = { timesS: Float64Array.of(1000, 1000, Number.NaN, Number.NaN) };

  it('matches the hand-computed closed form', () => {
    // G = XᵀX + 0.5·S + λI = [[3, 2.5], [2.5, 3]]; B[0][1] = −P01 / P11 = 2.5 / 3
    const model = new SessionEaseModel({ lambda: 1, sessionWeight: 0.5, sessionTauS: 60 });
    model.fit(train, context);
    expect(model.weights[1]).toBeCloseTo(2.5 / 3, 6);
    expect(model.weights[0]).toBe(0);
    // plain EASE on the same data: G = [[3, 2], [2, 3]] → 2 / 3
    const plain = new SessionEaseModel({ lambda: 1, sessionWeight: 0.5, sessionTauS: 60 });
    plain.fit(train);
    expect(plain.weights[1]).toBeCloseTo(2 / 3, 6);
  });

  it('weighs well-rated history items more and treats unknown ratings as plain positives', () => {
    const model = new SessionEaseModel({ lambda: 1, sessionWeight: 0.5, sessionTauS: 60, likeBoost: 0.5 });
    model.fit(train, context);
    const out = new Float64Array(2);
    model.scoreHistory([0], out, [5]);
    expect(out[1]).toBeCloseTo(2 * (2.5 / 3), 6);
    model.scoreHistory([0], out, [Number.NaN]);
    expect(out[1]).toBeCloseTo(2.5 / 3, 6);
    model.scoreHistory([0], out, [2]);
    expect(out[1]).toBeCloseTo(2.5 / 3, 6);
  });

  it('is plain EASE without the session term', () => {
    const x = csrFromPairs(4, 4, [0, 0, 1, 1, 1, 2, 2, 3], [0, 1, 1, 2, 3, 0, 3, 2]);
    const ease = new EaseModel({ lambda: 2 });
    ease.fit(x);
    const session = new SessionEaseModel({ lambda: 2, sessionWeight: 0, sessionTauS: 60 });
    session.fit(x, { timesS: new Float64Array(8) });
    const row = new Float32Array(4);
    for (let i = 0; i < 4; i++) {
      ease.weightRow(i, row);
      for (let j = 0; j < 4; j++) expect(session.weights[i * 4 + j]).toBeCloseTo(row[j]!, 6);
    }
  });

  it('ranks an item taken in the same sitting above one taken a week apart', () => {
    // a: items 0 and 1 a minute apart; b: items 0 and 2 a week apart. Plain EASE ties items 1 and 2.
    const x = csrFromPairs(2, 3, [0, 0, 1, 1], [0, 1, 0, 2]);
    const times = { timesS: Float64Array.of(0, 60, 0, 7 * 86_400) };
    const model = new SessionEaseModel({ lambda: 5, sessionWeight: 1, sessionTauS: 600 });
    model.fit(x, times);
    const out = new Float64Array(3);
    model.scoreHistory([0], out);
    expect(out[1]).toBeGreaterThan(out[2]! + 0.05);
  });

  it('refuses a session weight that could break positive definiteness', () => {
    expect(() => new SessionEaseModel({ lambda: 1, sessionWeight: 1.5, sessionTauS: 60 })).toThrow(/\[0, 1\]/);
    expect(() => new SessionEaseModel({ lambda: 1, sessionWeight: 0.5, sessionTauS: 0 })).toThrow(/seconds/);
  });
});

describe('evaluation context', () => {
  it('parses ratings and hands each model timestamps and ratings aligned with its training entries', () => {
    const table = parseInteractions('a\t1\t5\t100\na\t0\t2\t200\nb\t0\t4\t300\nb\t1\t1\t400000000000\n');
    expect([...table.ratings!]).toEqual([5, 2, 4, 1]);
    const seen: { indices: number[]; timesS: number[]; ratings: number[]; historyRatings: number[][] } = { indices: [], timesS: [], ratings: [], historyRatings: [] };
    const recorder: TopNModel = {
      name: 'recorder',
      fit(m: Csr, context?: InteractionContext) {
        seen.indices = [...m.indices];
        seen.timesS = [...context!.timesS!];
        seen.ratings = [...context!.ratings!];
      },
      scoreHistory(_history, out, historyRatings) {
        seen.historyRatings.push(Array.from(historyRatings!));
        out.fill(0);
      },
    };
    // train on rows 0, 1, 3; test on row 2 (user b, item 0). Item ids: '1' → 0, '0' → 1.
    evaluateModel(() => recorder, table, [{ train: Int32Array.of(0, 1, 3), test: Int32Array.of(2) }], { k: 1 });
    expect(seen.indices).toEqual([0, 1, 0]);
    // user a: item 0 ('1') at 100 s rated 5, item 1 ('0') at 200 s rated 2; user b: item 0 at 4e11 ms = 4e8 s rated 1
    expect(seen.timesS).toEqual([100, 200, 400_000_000]);
    expect(seen.ratings).toEqual([5, 2, 1]);
    expect(seen.historyRatings).toEqual([[1]]);
  });
});

describe('invertSpdInPlace (sweep operator)', () => {
  it('inverts a dense symmetric positive-definite matrix', () => {
    // det = 67; adjugate of [[4, 2, 1], [2, 5, 3], [1, 3, 6]]
    const a = Float64Array.of(4, 2, 1, 2, 5, 3, 1, 3, 6);
    invertSpdInPlace(a, 3);
    const expected = [21, -9, 1, -9, 23, -10, 1, -10, 16].map((v) => v / 67);
    expected.forEach((v, e) => expect(a[e]).toBeCloseTo(v, 12));
  });

  it('says to raise lambda when the matrix is not positive definite', () => {
    expect(() => invertSpdInPlace(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/lambda/);
  });
});
