import { TimeWindow } from '../../../core/risk/sliding-window.js';

describe('TimeWindow', () => {
  it('counts the times in a range as a plain scan would, whatever order they arrive in, keeping the newest `cap`', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
    const window = new TimeWindow(50);
    const kept: number[] = [];
    for (let i = 0; i < 400; i++) {
      // Mostly in order, one in four late by up to a minute.
      const at = i * 1000 - (random() < 0.25 ? Math.floor(random() * 60_000) : 0);
      const inWindow = window.add(at, 30_000);
      kept.push(at);
      kept.sort((a, b) => a - b);
      if (kept.length > 50) kept.shift();
      const count = (from: number, to: number) => kept.filter((t) => t >= from && t <= to).length;
      expect(inWindow).toBe(Math.max(count(at - 30_000, at), count(at, at + 30_000)));
      const from = at - Math.floor(random() * 90_000);
      expect(window.countBetween(from, at)).toBe(count(from, at));
    }
    expect(window.size).toBe(50);
    expect(window.countBetween(10, 5)).toBe(0);
  });
});
