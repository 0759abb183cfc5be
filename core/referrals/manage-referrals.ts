import { z } from 'zod';
import { toMinorUnits } from '../catalog/course.js';
import { NotFoundError, parseInput, ValidationError } from '../errors.js';
import type { Clock, UnitOfWork } from '../ports/index.js';
import type { Distributor, ReferralProgram } from './referral.js';

/** A programme as a creator sets it: the reward in major units (¥5.50 is 5.5), or a percentage. */
export const referralProgramSchema = z
  .object({
    rewardPercentOff: z.number().int().min(1).max(90).nullable().default(null).meta({ description: 'Reward coupon: percent off (1–90); or give an amount' }),
    rewardAmountOff: z.number().positive().max(1_000_000).nullable().default(null).meta({ description: 'Reward coupon: amount off in major units of rewardCurrency (yuan, dollars)' }),
    rewardCurrency: z.enum(['CNY', 'USD']).nullable().default(null),
    rewardAmountOffStars: z.number().int().positive().max(1_000_000).nullable().default(null).meta({ description: 'Reward coupon on Telegram: Stars off' }),
    rewardValidDays: z.number().int().min(1).max(3650).default(30),
    refundWindowDays: z.number().int().min(0).max(365).default(7).meta({ description: 'Days after payment before commission becomes payable' }),
    isActive: z.boolean().default(true),
  })
  .refine((p) => p.rewardPercentOff === null || (p.rewardAmountOff === null && p.rewardAmountOffStars === null), { message: 'give a percentage or an amount off, not both', path: ['rewardPercentOff'] })
  .refine((p) => p.rewardAmountOff === null || p.rewardCurrency !== null, { message: 'an amount off needs rewardCurrency', path: ['rewardCurrency'] })
  .refine((p) => p.rewardAmountOffStars === null || p.rewardAmountOff !== null, { message: 'Stars off go with an amount off in rewardCurrency (used outside Telegram)', path: ['rewardAmountOffStars'] });

/** A distributor decision: approve with a commission rate in basis points (1500 = 15 %), or revoke. */
export const distributorSchema = z.object({
  followerId: z.uuid().optional(),
  /** Or the follower's referral code, which a distributor shares and a creator can read off their link. */
  referralCode: z.string().trim().min(4).max(32).transform((c) => c.toUpperCase()).optional(),
  commissionBps: z.number().int().min(1).max(9000).meta({ description: 'Commission in basis points of what referred followers pay (1500 = 15 %)' }),
  status: z.enum(['approved', 'revoked']).default('approved'),
}).refine((d) => (d.followerId === undefined) !== (d.referralCode === undefined), { message: 'give the follower: followerId or referralCode, one of them', path: ['followerId'] });

/**
 * Sets a creator's referral programme (audited with before and after).
 *
 * @example
 * await saveReferralProgram({ uow, clock }, { creatorId, input: { rewardPercentOff: 10 }, actor: 'account:…' });
 */
export async function saveReferralProgram(deps: { uow: UnitOfWork; clock: Clock }, command: { creatorId: string; input: unknown; actor: string }): Promise<ReferralProgram> {
  const p = parseInput(referralProgramSchema, command.input, 'referral programme');
  const minor = p.rewardAmountOff === null || p.rewardCurrency === null ? null : toMinorUnits(String(p.rewardAmountOff), p.rewardCurrency);
  if (minor && !minor.ok) throw new ValidationError('invalid_amount', `rewardAmountOff: ${minor.message}`);
  const amountOffMinor = minor?.ok ? minor.amountMinor : null;
  return deps.uow.run(async (repos) => {
    const before = await repos.referrals.programOf(command.creatorId);
    const saved = await repos.referrals.putProgram({
      creatorId: command.creatorId, rewardPercentOff: p.rewardPercentOff, rewardAmountOffMinor: amountOffMinor, rewardCurrency: p.rewardCurrency,
      rewardAmountOffStars: p.rewardAmountOffStars, rewardValidDays: p.rewardValidDays, refundWindowDays: p.refundWindowDays, isActive: p.isActive, updatedAt: deps.clock.now(),
    });
    await repos.audit.record({ actor: command.actor, action: 'referral.program', subjectType: 'account', subjectId: command.creatorId, details: { from: before, to: saved } });
    return saved;
  });
}

/**
 * Approves a follower as a creator's distributor with a commission rate, or revokes them (audited).
 * Commission is earned on orders paid while approved; entries already in the ledger stay.
 *
 * @example
 * await decideDistributor({ uow, clock }, { creatorId, input: { followerId, commissionBps: 1500 }, actor: 'account:…' });
 */
export async function decideDistributor(deps: { uow: UnitOfWork; clock: Clock }, command: { creatorId: string; input: unknown; actor: string }): Promise<Distributor> {
  const input = parseInput(distributorSchema, command.input, 'distributor');
  return deps.uow.run(async (repos) => {
    const followerId = input.followerId ?? (await repos.referrals.followerOfCode(input.referralCode!));
    if (!followerId) throw new NotFoundError('referral_code_not_found', `No follower has the referral code ${input.referralCode}.`);
    if (!(await repos.followers.findById(followerId))) throw new NotFoundError('follower_not_found', `No follower ${followerId}.`);
    const d = { ...input, followerId };
    const before = await repos.referrals.distributorOf(command.creatorId, d.followerId);
    const saved = await repos.referrals.putDistributor({
      creatorId: command.creatorId, followerId: d.followerId, commissionBps: d.commissionBps, status: d.status, decidedBy: command.actor, decidedAt: deps.clock.now(),
    });
    await repos.audit.record({
      actor: command.actor, action: `distributor.${d.status === 'approved' ? 'approved' : 'revoked'}`, subjectType: 'follower', subjectId: d.followerId,
      details: { creatorId: command.creatorId, commissionBps: d.commissionBps, from: before ? { status: before.status, commissionBps: before.commissionBps } : null },
    });
    return saved;
  });
}
