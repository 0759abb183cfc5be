import { NotFoundError } from '../errors.js';
import type { ConsoleUnitOfWork } from './console-ports.js';

/**
 * Erases one follower (PIPL/GDPR deletion request): the follower row goes, and with it by cascade
 * their identities, events, orders and entitlements. The audit entry keeps only the id.
 *
 * @example
 * await deleteFollowerData({ uow }, followerId, principal.actor);
 */
export async function deleteFollowerData(deps: { uow: ConsoleUnitOfWork }, followerId: string, actor: string): Promise<void> {
  await deps.uow.run(async (r) => {
    if (!(await r.followers.delete(followerId))) throw new NotFoundError('follower_not_found', `No follower with id ${followerId}.`);
    await r.audit.record({ actor, action: 'follower.delete', subjectType: 'follower', subjectId: followerId, details: {} });
  });
}
