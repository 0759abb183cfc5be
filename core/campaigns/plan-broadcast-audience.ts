import { parseInput } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import type { AudienceRepository } from './campaign-ports.js';
import { segmentSchema, type AudienceExclusions, type AudienceMember } from './campaign-types.js';

/**
 * Previews who a segment reaches: the followers it can be sent to now (consenting, not opted out,
 * reachable, with a chat on Telegram or WeChat, not under risk review) and a random sample of them, and how many more the
 * segment selects but cannot reach, by reason, so a creator sees the effect of each condition
 * before sending. The size is what the broadcast's audience will be if sent now.
 *
 * @example
 * const { size, sample, excluded } = await planBroadcastAudience({ audience, clock }, { segment: { platforms: ['telegram'], lifecycle: ['at-risk'] }, sampleSize: 10 });
 * excluded; // { opted_out: 3, no_consent: 12, unreachable: 1, no_chat: 0, risk_review: 2 }
 */
export async function planBroadcastAudience(
  deps: { audience: AudienceRepository; clock: Clock },
  input: { segment: unknown; sampleSize?: number },
): Promise<{ size: number; sample: AudienceMember[]; excluded: AudienceExclusions & { total: number } }> {
  const segment = parseInput(segmentSchema, input.segment, 'segment');
  const now = deps.clock.now();
  const [size, sample, excluded] = await Promise.all([
    deps.audience.count(segment, now),
    deps.audience.page(segment, now, { afterFollowerId: null, limit: Math.min(Math.max(input.sampleSize ?? 10, 0), 100), random: true }),
    deps.audience.exclusions(segment, now),
  ]);
  const total = excluded.opted_out + excluded.no_consent + excluded.unreachable + excluded.no_chat + excluded.risk_review;
  return { size, sample, excluded: { ...excluded, total } };
}
