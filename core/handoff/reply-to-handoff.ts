import type { Principal } from '../accounts/account.js';
import { ConflictError, UnavailableError } from '../errors.js';
import type { Platform } from '../events/event-types.js';
import type { AuditLog, Clock, Messenger } from '../ports/index.js';
import { storableText } from '../text/storable-text.js';
import type { HandoffInbox, StaffMessage } from './handoff.js';
import { visibleHandoff } from './read-inbox.js';

export interface ReplyToHandoffDeps {
  inbox: Pick<HandoffInbox, 'findById' | 'addStaffMessage' | 'finishStaffMessage'>;
  /** The bot of each platform running in this process (the chat replies' outbound path). */
  messengers: (platform: Platform) => Pick<Messenger, 'send'> | undefined;
  audit: AuditLog;
  clock: Clock;
}

/**
 * A staff reply to a hand-off, sent into the follower's chat through the bot of the platform the
 * hand-off came from. Idempotent on `clientKey`: a retry is the same message, and one already sent
 * is not sent again (a failed one is tried again under the same send-log key, `handoff:<id>`).
 * Each new reply is audited. The first sent reply answers the hand-off; a closed hand-off takes no
 * replies (409), a bot that does not run in this process or a failed send is a 503 to retry.
 *
 * @example
 * const { message, isNew } = await replyToHandoff(deps, principal, handoffId, { text: '您好，我来帮您处理退款', clientKey: 'b7c1…' });
 */
export async function replyToHandoff(
  deps: ReplyToHandoffDeps,
  principal: Principal,
  handoffId: string,
  input: { text: string; clientKey: string },
): Promise<{ message: StaffMessage; isNew: boolean }> {
  const handoff = await visibleHandoff(deps.inbox, principal, handoffId);
  if (handoff.status === 'closed') throw new ConflictError('handoff_closed', 'This hand-off is closed: the bot answers the follower again. Replies go only to open hand-offs.');
  const messenger = deps.messengers(handoff.platform);
  if (!messenger) throw new UnavailableError('channel_unavailable', `The ${handoff.platform} bot does not run in this process; reply from the process that runs it (npm start runs every channel).`);
  const stored = await deps.inbox.addStaffMessage({ handoffId, clientKey: input.clientKey, author: principal.actor, text: storableText(input.text), at: deps.clock.now() });
  if (stored.message.status === 'sent') return stored;
  if (stored.isNew) {
    await deps.audit.record({
      actor: principal.actor,
      action: 'handoff.replied',
      subjectType: 'handoff',
      subjectId: handoffId,
      details: { followerId: handoff.followerId, platform: handoff.platform, messageId: stored.message.id, length: stored.message.text.length },
    });
  }
  const result = await messenger.send({ followerId: handoff.followerId, chatId: handoff.chatId }, [{ type: 'text', text: stored.message.text }], {
    purpose: 'transactional',
    idempotencyKey: `handoff:${stored.message.id}`,
  });
  const error = result.status === 'sent' ? undefined : result.status === 'failed' || result.status === 'blocked' ? result.reason : `rate limited; retry in ${Math.ceil(result.retryAfterMs / 1000)} s`;
  const message = await deps.inbox.finishStaffMessage(stored.message.id, result.status === 'sent' ? { status: 'sent' } : { status: 'failed', error: error! }, deps.clock.now());
  if (result.status === 'blocked') throw new ConflictError('follower_blocked_bot', `The follower has blocked the bot; the reply cannot reach them (${error}).`);
  if (result.status !== 'sent') throw new UnavailableError('reply_not_sent', `The reply was not delivered (${error}); send it again with the same clientKey.`);
  return { message, isNew: stored.isNew };
}
