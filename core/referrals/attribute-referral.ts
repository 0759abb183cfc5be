import type { Clock, UnitOfWork } from '../ports/index.js';
import type { RiskMonitor } from '../risk/risk-monitor.js';
import type { ReferralAttribution, ReferralChannel } from './referral.js';

/** A follower counts as new for this long after they were first seen: older followers are not attributed to anyone. */
export const NEW_FOLLOWER_HOURS = 24;

/**
 * Records who referred a follower who opened someone's referral link (Telegram `/start ref_<code>`,
 * the mini-program's `scene=<code>`): the first referrer of a new follower, once. Refused, and
 * audited: an unknown code, the follower's own code, a follower who is not new, one referred
 * before, and a referrer who shares a device or unionid with the follower (reported to the risk
 * monitor as referral farming).
 *
 * @example
 * const result = await attributeReferral({ uow, clock, risk }, { followerId, code: 'K7QM2XPA', channel: 'telegram' });
 * // { outcome: 'attributed', referrerId } or { outcome: 'refused', reason: 'self' }
 */
export async function attributeReferral(
  deps: { uow: UnitOfWork; clock: Clock; risk?: RiskMonitor },
  input: { followerId: string; code: string; channel: ReferralChannel },
): Promise<ReferralAttribution> {
  const at = deps.clock.now();
  const result = await deps.uow.run(async (repos): Promise<ReferralAttribution & { linkedVia?: string; referrerId?: string }> => {
    const referrerId = await repos.referrals.followerOfCode(input.code);
    if (!referrerId) return { outcome: 'refused', reason: 'unknown_code' };
    const refuse = async (reason: Exclude<ReferralAttribution, { outcome: 'attributed' }>['reason'], details: Record<string, unknown> = {}) => {
      await repos.audit.record({ actor: `follower:${input.followerId}`, action: 'referral.refused', subjectType: 'follower', subjectId: input.followerId, details: { reason, referrerId, code: input.code, channel: input.channel, ...details } });
      return { outcome: 'refused' as const, reason, referrerId, ...details };
    };
    if (referrerId === input.followerId) return refuse('self');
    if (await repos.referrals.referrerOf(input.followerId)) return { outcome: 'refused', reason: 'already_referred' };
    const follower = await repos.followers.findById(input.followerId);
    if (!follower || at.getTime() - follower.createdAt.getTime() > NEW_FOLLOWER_HOURS * 3_600_000) return refuse('not_new');
    const linkedVia = await repos.referrals.sharedLinkKind(input.followerId, referrerId);
    if (linkedVia) return refuse('linked_accounts', { linkedVia });
    if (!(await repos.referrals.attribute({ referredId: input.followerId, referrerId, code: input.code, channel: input.channel, at }))) return { outcome: 'refused', reason: 'already_referred' };
    await repos.audit.record({ actor: `follower:${input.followerId}`, action: 'referral.attributed', subjectType: 'follower', subjectId: input.followerId, details: { referrerId, code: input.code, channel: input.channel } });
    return { outcome: 'attributed', referrerId };
  });
  // The risk monitor decides in memory, after the transaction: a rolled-back referral reports nothing.
  if (result.outcome === 'attributed') deps.risk?.observeReferral(result.referrerId, input.followerId, at);
  else if (result.reason === 'linked_accounts' && result.referrerId) deps.risk?.observeReferralRefused(result.referrerId, input.followerId, result.linkedVia ?? 'device');
  return result.outcome === 'attributed' ? { outcome: 'attributed', referrerId: result.referrerId } : { outcome: 'refused', reason: result.reason };
}

