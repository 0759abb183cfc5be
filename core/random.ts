/** A source of uniform numbers in [0, 1); tests and evaluations pass a seeded one. */
export type Random = () => number;

/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence on every machine,
 * for reproducible splits, sampling, clustering and demo data.
 *
 * @example
 * const random = seededRandom(1);
 * random(); // 0.6270739405881613
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
