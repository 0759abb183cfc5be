import { NotFoundError } from '../errors.js';
import type { ConsoleUnitOfWork } from './console-ports.js';
import { erasedPseudonym } from './secrets.js';

/**
 * Erases one follower (PIPL/GDPR deletion request): the follower, their identities, events,
 * entitlements, send logs, queued messages and unpaid orders go; paid and refunded orders stay
 * for accounting (amount, currency, course, times) without the follower link. Afterwards no table
 * holds their id or platform ids: the audit log, this entry included, names them by a one-way
 * pseudonym (see `FollowerAdminRepository.delete`).
 *
 * @example
 * await deleteFollowerData({ uow }, followerId, principal.actor);
 */
export async function deleteFollowerData(deps: { uow: ConsoleUnitOfWork }, followerId: string, actor: string): Promise<void> {
  await deps.uow.run(async (r) => {
    if (!(await r.followers.delete(followerId))) throw new NotFoundError('follower_not_found', `No follower with id ${followerId}.`);
    await r.audit.record({ actor, action: 'follower.delete', subjectType: 'follower', subjectId: erasedPseudonym(followerId), details: {} });
  });
}
