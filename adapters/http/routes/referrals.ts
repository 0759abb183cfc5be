import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  COMMISSION_STATUSES, CURRENCIES, decideDistributor, MalformedInputError, markCommissionPaidOut, NotFoundError, payoutReport, saveReferralProgram, toMajorUnits,
  type Clock, type CommissionEntry, type Currency, type PayoutLine, type UnitOfWork,
} from '../../../core/index.js';
import { principalOf } from '../auth/console-auth.js';
import { isForeignKeyViolation } from './commerce.js';

export const creatorQuery = z.object({ creatorId: z.uuid().optional().meta({ description: "Admins: whose programme (required for changes); creators always act on their own" }) });
export const commissionsQuery = creatorQuery.extend({
  status: z.enum(COMMISSION_STATUSES).optional(),
  distributorFollowerId: z.uuid().optional(),
});
export const markPaidOutBody = z.object({
  distributorFollowerId: z.uuid(),
  currency: z.enum(CURRENCIES),
  reference: z.string().trim().min(1).max(200).meta({ description: 'The transfer made outside Zhiliao (bank reference, note)' }),
});

const money = (amountMinor: number, currency: Currency) => ({ amountMinor, currency, amount: toMajorUnits({ amountMinor, currency }) });

const commissionDto = (e: CommissionEntry) => ({
  ...e, commission: money(e.commissionMinor, e.currency), orderAmount: money(e.orderAmountMinor, e.currency), payableAfter: e.payableAfter.toISOString(), createdAt: e.createdAt.toISOString(),
});

const payoutDto = (l: PayoutLine) => ({
  creatorId: l.creatorId, distributorFollowerId: l.distributorFollowerId, displayName: l.displayName, currency: l.currency, orders: l.orders,
  pending: money(l.pendingMinor, l.currency), payable: money(l.payableMinor, l.currency), paidOut: money(l.paidOutMinor, l.currency), cancelled: money(l.cancelledMinor, l.currency),
});

/**
 * `/referrals/…`: a creator's referral programme (reward coupon, refund window), their approved
 * distributors with commission rates, the commission ledger, the payout report per distributor
 * and currency, and marking payable commission paid out. Creators act on their own programme
 * only; admins on any (`creatorId`), and read across all without it. Every change is audited.
 */
export function createReferralsRouter(deps: { uow: UnitOfWork; clock: Clock }): Router {
  const router = Router();

  /** The creator a read is scoped to: creators their own; admins the one asked for, or everyone. */
  const readScope = (req: Request): { creatorId?: string } => {
    const principal = principalOf(req);
    if (principal.role === 'creator') return { creatorId: principal.id ?? '00000000-0000-0000-0000-000000000000' };
    const { creatorId } = creatorQuery.parse(req.query);
    return creatorId ? { creatorId } : {};
  };
  /** The creator a change is made for: creators their own; admins must name one. */
  const writeScope = (req: Request): string => {
    const scope = readScope(req);
    if (!scope.creatorId) throw new MalformedInputError('creator_required', 'Name the creator whose programme this is: ?creatorId=<account id>.');
    return scope.creatorId;
  };
  const orMissingCreator = async <T>(creatorId: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new NotFoundError('creator_not_found', `No creator account ${creatorId}.`);
      throw error;
    }
  };

  router.get('/referrals/program', async (req, res) => {
    const creatorId = writeScope(req);
    res.json({ program: await deps.uow.repos.referrals.programOf(creatorId) });
  });

  router.put('/referrals/program', async (req, res) => {
    const creatorId = writeScope(req);
    const program = await orMissingCreator(creatorId, () => saveReferralProgram(deps, { creatorId, input: req.body, actor: principalOf(req).actor }));
    res.json({ program });
  });

  router.get('/referrals/distributors', async (req, res) => {
    const items = await deps.uow.repos.referrals.listDistributors(readScope(req));
    res.json({ items: items.map((d) => ({ ...d, decidedAt: d.decidedAt.toISOString() })), total: items.length });
  });

  router.post('/referrals/distributors', async (req, res) => {
    const creatorId = writeScope(req);
    const distributor = await orMissingCreator(creatorId, () => decideDistributor(deps, { creatorId, input: req.body, actor: principalOf(req).actor }));
    res.status(201).json({ ...distributor, decidedAt: distributor.decidedAt.toISOString() });
  });

  router.get('/referrals/commissions', async (req, res) => {
    const query = commissionsQuery.parse(req.query);
    const items = await deps.uow.repos.referrals.listCommissions({
      ...readScope(req), ...(query.status ? { status: query.status } : {}), ...(query.distributorFollowerId ? { distributorFollowerId: query.distributorFollowerId } : {}),
    });
    res.json({ items: items.map(commissionDto), total: items.length });
  });

  router.get('/referrals/payouts', async (req, res) => {
    const lines = await payoutReport(deps, readScope(req));
    res.json({ items: lines.map(payoutDto), total: lines.length });
  });

  router.post('/referrals/payouts', async (req, res) => {
    const creatorId = writeScope(req);
    const body = markPaidOutBody.parse(req.body);
    const paid = await markCommissionPaidOut(deps, { creatorId, ...body, actor: principalOf(req).actor });
    res.json({ entries: paid.entries, paidOut: money(paid.amountMinor, paid.currency) });
  });
  return router;
}
