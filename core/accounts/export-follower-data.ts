import { NotFoundError } from '../errors.js';
import type { ConsoleUnitOfWork, FollowerDataExport } from './console-ports.js';

/**
 * Everything stored about one follower — profile, identities, events, orders, entitlements — as
 * one JSON document (PIPL/GDPR access request). The export itself is audited.
 *
 * @example
 * const data = await exportFollowerData({ uow }, followerId, principal.actor);
 */
export async function exportFollowerData(deps: { uow: ConsoleUnitOfWork }, followerId: string, actor: string): Promise<FollowerDataExport> {
  return deps.uow.run(async (r) => {
    const data = await r.followers.exportData(followerId);
    if (!data) throw new NotFoundError('follower_not_found', `No follower with id ${followerId}.`);
    await r.audit.record({ actor, action: 'follower.export', subjectType: 'follower', subjectId: followerId, details: { events: data.events.length, orders: data.orders.length } });
    return data;
  });
}
