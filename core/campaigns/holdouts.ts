import { stableUnitHash } from '../experiments/index.js';
import type { HoldoutReason } from './campaign-types.js';

/**
 * Whether a follower is in the global control group of `percent` % of all followers: a stable
 * hash of their id, so the same followers stay in it on every send, in every process.
 *
 * @example
 * isInControlGroup(followerId, 5) // true for about one follower in twenty, always the same ones
 */
export function isInControlGroup(followerId: string, percent: number): boolean {
  return percent > 0 && stableUnitHash(`control-group:${followerId}`) * 100 < percent;
}

/**
 * Why an audience member is kept out of a broadcast, or null when they are sent it: the global
 * control group first, then the broadcast's own holdout (a hash of broadcast and follower,
 * independent of the A/B assignment).
 *
 * @example
 * holdoutReason({ id: campaignId, holdoutPercent: 10 }, followerId, 0) // 'holdout' for about one in ten
 */
export function holdoutReason(campaign: { id: string; holdoutPercent: number }, followerId: string, controlPercent: number): HoldoutReason | null {
  if (isInControlGroup(followerId, controlPercent)) return 'control_group';
  if (campaign.holdoutPercent > 0 && stableUnitHash(`holdout:${campaign.id}:${followerId}`) * 100 < campaign.holdoutPercent) return 'holdout';
  return null;
}
