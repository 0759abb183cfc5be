import { parseInput } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import type { AudienceRepository } from './campaign-ports.js';
import { segmentSchema, type AudienceMember } from './campaign-types.js';

/**
 * Previews who a segment reaches: the audience size and a random sample, so a creator sees the
 * effect of each condition before sending.
 *
 * @example
 * const { size, sample } = await planBroadcastAudience({ audience, clock }, { segment: { platforms: ['telegram'], lifecycle: ['at-risk'] }, sampleSize: 10 });
 */
export async function planBroadcastAudience(
  deps: { audience: AudienceRepository; clock: Clock },
  input: { segment: unknown; sampleSize?: number },
): Promise<{ size: number; sample: AudienceMember[] }> {
  const segment = parseInput(segmentSchema, input.segment, 'segment');
  const now = deps.clock.now();
  const [size, sample] = await Promise.all([
    deps.audience.count(segment, now),
    deps.audience.page(segment, now, { afterFollowerId: null, limit: Math.min(Math.max(input.sampleSize ?? 10, 0), 100), random: true }),
  ]);
  return { size, sample };
}
