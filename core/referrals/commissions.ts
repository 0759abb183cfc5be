import type { Currency } from '../catalog/course.js';
import { ConflictError } from '../errors.js';
import type { Clock, UnitOfWork } from '../ports/index.js';
import type { CommissionEntry, PayoutLine } from './referral.js';

/**
 * Moves commission whose refund window has passed (order still paid) from pending to payable,
 * each audited. Run by the `referral-commissions` job; safe to run at any time, from any process.
 *
 * @example
 * const released = await releasePayableCommissions({ uow, clock }); // the entries that became payable
 */
export async function releasePayableCommissions(deps: { uow: UnitOfWork; clock: Clock }): Promise<CommissionEntry[]> {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const released = await repos.referrals.releasePayable(now);
    for (const entry of released) {
      await repos.audit.record({
        actor: 'system', action: 'commission.payable', subjectType: 'commission', subjectId: entry.id,
        details: { orderId: entry.orderId, distributorFollowerId: entry.distributorFollowerId, commissionMinor: entry.commissionMinor, currency: entry.currency },
      });
    }
    return released;
  });
}

/**
 * The payout report: per creator, distributor and currency (never summed across currencies), what
 * is pending, payable, paid out and cancelled. Pending commission past its window is released first.
 *
 * @example
 * const lines = await payoutReport({ uow, clock }, { creatorId }); // admins: {}
 */
export async function payoutReport(deps: { uow: UnitOfWork; clock: Clock }, filter: { creatorId?: string }): Promise<PayoutLine[]> {
  await releasePayableCommissions(deps);
  return deps.uow.repos.referrals.payoutReport(filter);
}

/**
 * Marks a distributor's payable commission in one currency as paid out (a transfer made outside
 * Zhiliao, named by `reference`), audited with the total. Nothing payable is a conflict.
 *
 * @example
 * await markCommissionPaidOut({ uow, clock }, { creatorId, distributorFollowerId, currency: 'CNY', reference: 'bank 2026-12-01', actor: 'account:…' });
 */
export async function markCommissionPaidOut(
  deps: { uow: UnitOfWork; clock: Clock },
  input: { creatorId: string; distributorFollowerId: string; currency: Currency; reference: string; actor: string },
): Promise<{ entries: number; amountMinor: number; currency: Currency }> {
  await releasePayableCommissions(deps);
  const at = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const entries = await repos.referrals.markPaidOut({ ...input, at });
    if (entries.length === 0) throw new ConflictError('nothing_payable', `Distributor ${input.distributorFollowerId} has no payable commission in ${input.currency}; commission becomes payable once the refund window has passed.`);
    const amountMinor = entries.reduce((sum, e) => sum + e.commissionMinor, 0);
    await repos.audit.record({
      actor: input.actor, action: 'commission.paid_out', subjectType: 'follower', subjectId: input.distributorFollowerId,
      details: { creatorId: input.creatorId, currency: input.currency, amountMinor, entries: entries.map((e) => e.id), reference: input.reference },
    });
    return { entries: entries.length, amountMinor, currency: input.currency };
  });
}
