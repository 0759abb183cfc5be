import { releaseGarbage } from '../../../core/recommend/training/collect-garbage.js';
import { trimNativeHeap } from '../../../adapters/runtime/index.js';

describe('trimNativeHeap (at the retrain’s stage boundaries)', () => {
  it('hands the C heap’s free pages back to the system on glibc', async () => {
    // 32 MB in 64 KB buffers: each its own block in the C heap, all free once collected.
    const allocated = (() => Array.from({ length: 512 }, () => Buffer.alloc(64 * 1024, 1)).reduce((n, b) => n + b.length, 0))();
    expect(allocated).toBe(32 * 1024 * 1024);
    await new Promise((resolve) => setImmediate(resolve));
    // Collected and yielded as at a retrain's stage boundary, without the trim itself.
    await releaseGarbage();
    expect(trimNativeHeap()).toBe(process.platform === 'linux' ? 'trimmed' : 'unavailable');
  });
});
