import { createHash } from 'node:crypto';

export interface WeightedVariant {
  key: string;
  weight: number;
}

/** A number in [0, 1) fixed by the text: the same experiment and follower always land in the same place. */
export function stableUnitHash(text: string): number {
  const digest = createHash('sha256').update(text).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

/**
 * Sticky A/B assignment: hashes (experiment, follower) onto the variants' weights, so a follower
 * sees the same variant on every send and in every process, without storing anything.
 *
 * @example
 * assignVariant('campaign-7', followerId, [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }]); // 'A' or 'B', always the same
 */
export function assignVariant(experimentKey: string, followerId: string, variants: readonly WeightedVariant[]): string {
  if (variants.length === 0) throw new RangeError('assignVariant needs at least one variant');
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  if (total <= 0) return variants[0]!.key;
  let point = stableUnitHash(`${experimentKey}:${followerId}`) * total;
  for (const variant of variants) {
    point -= Math.max(0, variant.weight);
    if (point < 0) return variant.key;
  }
  return variants.at(-1)!.key;
}
