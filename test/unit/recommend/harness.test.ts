import {
  csrFromPairs, EaseModel, easeNeighbours, evaluateModel, evaluateNested, evaluateServedPipeline, globalTimeSplit, innerSplit, invertSpdInPlace, itemNeighbours, kFoldSplit, movieLensCourses,
  parseInteractions, PopularityModel, rankingMetrics, rp3betaNeighbours, temporalSplit, topK, type TopNModel,
} from '../../../core/recommend/index.js';

describe('ranking metrics (Gorse definitions)', () => {
  it('matches hand-computed values', () => {
    // hits at ranks 2 and 4 of a list of 5; 3 test items
    const m = rankingMetrics([10, 20, 30, 40, 50], new Set([20, 40, 99]));
    expect(m.precision).toBeCloseTo(2 / 5);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.map).toBeCloseTo((1 / 2 + 2 / 4) / 3);
    expect(m.mrr).toBeCloseTo(1 / 2);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(m.ndcg).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / idcg);
  });
});

describe('splits', () => {
  it('k-fold is seeded, disjoint and covers every row', () => {
    const a = kFoldSplit(103, 5, 7);
    expect(kFoldSplit(103, 5, 7)).toEqual(a);
    const all = a.flatMap((f) => [...f.test]).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const f of a) expect(f.train.length + f.test.length).toBe(103);
  });
  it('temporal holds out each user’s latest 20%', () => {
    const table = parseInteractions('u,i,rating,timestamp\n' + Array.from({ length: 10 }, (_, t) => `a,${t},5,${t}`).join('\n'));
    const [fold] = temporalSplit(table, 0.2);
    expect([...fold!.test].map((r) => table.timestamps[r])).toEqual([8, 9]);
  });

  it('global time holds out everything after one moment, for users known before it', () => {
    // a acts at 0–5, b at 6, 7 and 9, c only at 8 and 9: the moment is t = 8 (8 of 11 rows happened before it).
    const rows = [...[0, 1, 2, 3, 4, 5].map((t) => `a,${t},5,${t}`), 'b,6,5,6', 'b,7,5,7', 'b,9,5,9', 'c,8,5,8', 'c,9,5,9'];
    const table = parseInteractions('u,i,rating,timestamp\n' + rows.join('\n'));
    const [fold] = globalTimeSplit(table, 0.2);
    expect([...fold!.train].map((r) => table.timestamps[r])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // c was never seen before the moment, so c's rows test nothing; b's row at t = 9 is the test.
    expect([...fold!.test].map((r) => `${table.userIds[table.users[r]!]}@${table.timestamps[r]}`)).toEqual(['b@9']);
  });
});

describe('evaluation harness', () => {
  it('reproduces a hand-computed most-popular evaluation', () => {
    // item 0 is held by 3 users, item 1 by 2, item 2 by 1. Test rows: user c → item 2.
    const table = parseInteractions('a\t0\na\t1\nb\t0\nb\t1\nc\t0\nc\t2\n');
    const fold = { train: Int32Array.of(0, 1, 2, 3, 4), test: Int32Array.of(5) };
    const report = evaluateModel(() => new PopularityModel(), table, [fold], { k: 2 });
    // c has trained on item 0; ranking over {1, 2}: item 1 (2 users) then item 2 (0 in train) → hit at rank 2
    expect(report.precision).toBeCloseTo(0.5);
    expect(report.recall).toBeCloseTo(1);
    expect(report.ndcg).toBeCloseTo(1 / Math.log2(3));
    expect(report.coverage).toBeCloseTo(2 / 3);
  });
});

describe('algorithms', () => {
  it('inverts an SPD matrix', () => {
    const a = Float64Array.of(4, 2, 2, 3);
    invertSpdInPlace(a, 2);
    const det = 4 * 3 - 2 * 2;
    expect([...a].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([3 / det, -2 / det, -2 / det, 4 / det].map((x) => Math.round(x * 1e9) / 1e9));
  });
  it('item-kNN finds known neighbours', () => {
    // items 0 and 1 always together; 2 and 3 always together
    const users = [0, 0, 1, 1, 2, 2, 3, 3];
    const items = [0, 1, 0, 1, 2, 3, 2, 3];
    const nb = itemNeighbours(csrFromPairs(4, 4, users, items), { k: 2 });
    expect([...nb.neighbours.subarray(nb.offsets[0]!, nb.offsets[1]!)]).toEqual([1]);
    expect([...nb.neighbours.subarray(nb.offsets[2]!, nb.offsets[3]!)]).toEqual([3]);
    expect(nb.similarities[0]).toBeCloseTo(1);
  });
  it('EASE recommends the co-occurring item', () => {
    const users = [0, 0, 1, 1, 2, 2, 3];
    const items = [0, 1, 0, 1, 2, 3, 0];
    const ease = new EaseModel({ lambda: 0.5 });
    ease.fit(csrFromPairs(4, 4, users, items));
    const scores = new Float64Array(4);
    ease.scoreHistory([0], scores);
    expect(topK(scores, 1, (i) => i === 0)).toEqual([1]);
  });
});

describe('nested selection and the served pipeline', () => {
  // 60 users in two taste groups over 20 items, one interaction a minute.
  const lines: string[] = [];
  for (let u = 0; u < 60; u++) for (let n = 0; n < 8; n++) lines.push(`${u}\t${(u % 2) * 10 + ((u + n * 3) % 10)}\t4\t${1_000_000 + u * 10_000 + n * 60}`);
  const table = parseInteractions(lines.join('\n'));

  it('chooses settings on the outer training rows only', () => {
    const [fold] = kFoldSplit(table.users.length, 5, 1);
    const outerTest = new Set(fold!.test);
    for (const protocol of ['random', 'temporal'] as const) {
      const inner = innerSplit(table, fold!.train, protocol, 1);
      expect(inner.train.length + inner.test.length).toBe(fold!.train.length);
      expect([...inner.train, ...inner.test].some((r) => outerTest.has(r))).toBe(false);
    }
    // The inner test of the temporal protocol is each user's latest training rows.
    const inner = innerSplit(table, fold!.train, 'temporal', 1);
    const latestTrain = new Map<number, number>();
    for (const r of inner.train) latestTrain.set(table.users[r]!, Math.max(latestTrain.get(table.users[r]!) ?? -1, table.timestamps[r]!));
    expect([...inner.test].every((r) => table.timestamps[r]! >= latestTrain.get(table.users[r]!)!)).toBe(true);
  });

  it('picks the setting that wins on the inner validation split, fold by fold', () => {
    const leastPopular: () => TopNModel = () => {
      const pop = new PopularityModel();
      return { name: 'least-popular', fit: (train) => pop.fit(train), scoreHistory: (h, out) => { pop.scoreHistory(h, out); for (let i = 0; i < out.length; i++) out[i] = -out[i]!; } };
    };
    const report = evaluateNested({ key: 'x', label: 'x', grid: [leastPopular, () => new EaseModel({ lambda: 1 })] }, table, kFoldSplit(table.users.length, 3, 1), 'random', { k: 5 });
    expect(report.chosen).toEqual(['ease(lambda=1)', 'ease(lambda=1)', 'ease(lambda=1)']);
    expect(report.spreadKind).toBe('folds');
    expect(report.spread.precision).toBeGreaterThanOrEqual(0);
    // One split (temporal) has no fold spread: the standard error over its test users stands in.
    const temporal = evaluateNested({ key: 'x', label: 'x', grid: [() => new EaseModel({ lambda: 1 })] }, table, temporalSplit(table, 0.25), 'temporal', { k: 5 });
    expect(temporal.spreadKind).toBe('users');
    expect(temporal.spread.precision).toBeGreaterThan(0);
    expect(temporal.spread.precision).toBeLessThan(temporal.precision);
  });

  it('evaluates the served pipeline through the retrain and serving code, with its ablation', async () => {
    const courses = movieLensCourses(null, table.itemIds);
    const [served, blend] = await evaluateServedPipeline(table, courses, temporalSplit(table, 0.25), [
      { name: 'served', training: {} },
      { name: 'blend', training: { ranker: 'blend' } },
    ], { k: 5 });
    // Two of each user's twelve unseen items are held out: the served picks find them well above chance (2/12).
    expect(served!.precision).toBeGreaterThan(0.25);
    expect(served!.rankerChoices).toHaveLength(1);
    expect(blend!.rankerChoices[0]).toMatchObject({ kept: 'untrained_blend', why: 'the ranker was switched off' });
    expect(served!.short).toBe(0);
    expect(Object.values(served!.reasons).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('EASE and RP3β neighbour lists keep the strongest links', () => {
    const train = csrFromPairs(4, 4, [0, 0, 1, 1, 2, 2, 3], [0, 1, 0, 1, 2, 3, 0]);
    const ease = new EaseModel({ lambda: 0.5 });
    ease.fit(train);
    const nb = easeNeighbours(ease, 1);
    expect([...nb.neighbours.subarray(nb.offsets[0]!, nb.offsets[1]!)]).toEqual([1]);
    // Item 0 is taken with 1 and without 2: its −0.24 towards 2 is kept over its +0.08 towards 3.
    const wider = new EaseModel({ lambda: 0.5 });
    wider.fit(csrFromPairs(6, 4, [0, 0, 1, 1, 2, 2, 3, 4, 5, 5], [0, 1, 0, 1, 2, 3, 0, 2, 1, 2]));
    const strongest = easeNeighbours(wider, 2);
    expect([...strongest.neighbours.subarray(0, 2)]).toEqual([1, 2]);
    expect(strongest.similarities[1]).toBeLessThan(0);
    const rp3 = rp3betaNeighbours(train, { k: 1, beta: 0.5 });
    expect([...rp3.neighbours.subarray(rp3.offsets[2]!, rp3.offsets[3]!)]).toEqual([3]);
    expect(rp3.similarities[rp3.offsets[2]!]).toBeCloseTo(1);
  });
});
