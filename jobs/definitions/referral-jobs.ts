import { releasePayableCommissions, type Clock, type UnitOfWork } from '../../core/index.js';
import type { JobDefinition } from '../job-types.js';

/**
 * Referral commission: hourly, pending commission whose refund window has passed (the order still
 * paid) becomes payable. Idempotent: an entry moves once, whichever instance or run moves it.
 */
export function referralCommissionsJob(deps: { uow: UnitOfWork; clock: Clock }): JobDefinition {
  return {
    name: 'referral-commissions',
    description: 'Makes referral commission payable once the refund window has passed',
    defaultCron: '5 * * * *',
    defaultTimeZone: 'UTC',
    run: async () => {
      const released = await releasePayableCommissions(deps);
      return { outcome: 'ok', result: { payable: released.length } };
    },
  };
}
