import { SendPacer } from '../../../adapters/wechat/send-pacer.js';

describe('SendPacer', () => {
  it('spaces sends by the interval plus jitter, one at a time, in order', async () => {
    const pacer = new SendPacer({ intervalMs: 60, jitterMs: 40, random: () => 0.5 });
    const startedAt: number[] = [];
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => pacer.run(async () => {
      startedAt.push(Date.now());
      order.push(n);
    })));
    expect(order).toEqual([1, 2, 3]);
    for (let i = 1; i < startedAt.length; i++) expect(startedAt[i]! - startedAt[i - 1]!).toBeGreaterThanOrEqual(78);
  });

  it('keeps going after a failed send', async () => {
    const pacer = new SendPacer({ intervalMs: 0, jitterMs: 0 });
    await expect(pacer.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(pacer.run(async () => 'ok')).resolves.toBe('ok');
  });
});
