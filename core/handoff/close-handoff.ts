import type { Principal } from '../accounts/account.js';
import { dialogText } from '../dialog/dialog-text.js';
import type { Platform } from '../events/event-types.js';
import type { AuditLog, Clock, FollowerRepository, Logger, Messenger } from '../ports/index.js';
import type { Handoff, HandoffInbox } from './handoff.js';
import { visibleHandoff } from './read-inbox.js';

export interface CloseHandoffDeps {
  inbox: Pick<HandoffInbox, 'findById' | 'close'>;
  followers: Pick<FollowerRepository, 'findById'>;
  messengers: (platform: Platform) => Pick<Messenger, 'send'> | undefined;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
}

/**
 * Closes a hand-off: the bot answers the follower again and marketing may reach them again. The
 * follower is told so in their language, once (send-log key `handoff-closed:<id>`); if their bot
 * does not run in this process or the send fails, the hand-off is closed all the same and the
 * failure is logged. Closing a closed hand-off changes nothing. Audited.
 *
 * @example
 * const { handoff } = await closeHandoff(deps, principal, handoffId);
 */
export async function closeHandoff(deps: CloseHandoffDeps, principal: Principal, handoffId: string): Promise<{ handoff: Handoff; isNew: boolean }> {
  await visibleHandoff(deps.inbox, principal, handoffId);
  const closed = await deps.inbox.close(handoffId, principal.actor, deps.clock.now());
  if (!closed.isNew) return closed;
  const { handoff } = closed;
  await deps.audit.record({ actor: principal.actor, action: 'handoff.closed', subjectType: 'handoff', subjectId: handoff.id, details: { followerId: handoff.followerId, reason: handoff.reason } });
  const messenger = deps.messengers(handoff.platform);
  const follower = await deps.followers.findById(handoff.followerId);
  if (!messenger || !follower) {
    deps.logger.warn({ handoffId, platform: handoff.platform }, 'hand-off closed; the follower was not told (their bot does not run in this process)');
    return closed;
  }
  const result = await messenger
    .send({ followerId: handoff.followerId, chatId: handoff.chatId }, [{ type: 'text', text: dialogText(follower.locale).handoffClosed }], { purpose: 'transactional', idempotencyKey: `handoff-closed:${handoff.id}` })
    .catch((error: unknown) => ({ status: 'failed' as const, reason: error instanceof Error ? error.message : String(error) }));
  if (result.status !== 'sent') deps.logger.warn({ handoffId, status: result.status }, 'hand-off closed; telling the follower failed');
  return closed;
}
