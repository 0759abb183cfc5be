import { collectGarbage, releaseGarbage } from '../../../core/recommend/training/collect-garbage.js';

describe('collectGarbage (between the retrain stages)', () => {
  it('frees what nothing references any more, and leaves gc hidden', async () => {
    const ref = (() => new WeakRef({ rows: new Float64Array(1_000_000) }))();
    expect(ref.deref()).toBeDefined();
    // A WeakRef keeps its target until the job that made or read it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
    expect(typeof globalThis.gc).toBe('undefined');
  });

  it('keeps what is still referenced', async () => {
    const kept = { rows: new Float64Array(10) };
    const ref = new WeakRef(kept);
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(ref.deref()).toBe(kept);
  });

  it('lets the pages a collection freed leave the process before it returns (releaseGarbage)', async () => {
    const MB = 1024 * 1024;
    // ~100 MB of short-lived objects, most of them garbage by the end of the loop.
    let kept = 0;
    for (let round = 0; round < 20; round++) {
      const rows = Array.from({ length: 200_000 }, (_, i) => ({ i, label: `row ${i}` }));
      kept += rows[round]!.i;
    }
    collectGarbage();
    const collected = process.memoryUsage().rss;
    await releaseGarbage();
    const released = process.memoryUsage().rss;
    expect(kept).toBeGreaterThan(0);
    expect(collected - released).toBeGreaterThan(20 * MB);
  });
});
