import type { Repositories } from '../ports/repositories.js';
import { newReferralCode } from './referral.js';

/**
 * The follower's own referral code, created on first ask and the same ever after.
 *
 * @example
 * const code = await codeForFollower(repos, followerId); // 'K7QM2XPA'
 */
export async function codeForFollower(repos: Pick<Repositories, 'referrals'>, followerId: string): Promise<string> {
  return repos.referrals.codeOf(followerId, newReferralCode());
}
