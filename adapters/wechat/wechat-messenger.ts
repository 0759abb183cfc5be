import type { Clock, FollowerRepository, Logger, Messenger, Recipient, Reply, SendPurpose, SendResult } from '../../core/index.js';
import type { PgSendLogRepository } from '../../models/repositories/pg-send-log-repository.js';
import type { PgWechatSendCounter } from '../../models/repositories/pg-mp-wechat-send-counter.js';
import { renderWechatReplies, type WechatOutgoing } from './render-reply.js';
import type { SendPacer } from './send-pacer.js';

/** Room chats are addressed as `room:<room id>`, contacts by their contact id. */
export const ROOM_PREFIX = 'room:';

/** A chat the bot can write to; `say` returns the platform message id when the puppet gives one. */
export interface WechatConversation {
  say(message: WechatOutgoing): Promise<string | undefined>;
}

/** Finds chats on the logged-in account; null when the contact or room is unknown (or not logged in). */
export interface WechatConversations {
  find(chatId: string): Promise<WechatConversation | null>;
}

export interface WechatMessengerDeps {
  conversations: WechatConversations;
  sendLog: PgSendLogRepository;
  counter: PgWechatSendCounter;
  pacer: SendPacer;
  clock: Clock;
  followers: Pick<FollowerRepository, 'findById'>;
  limits: { dailyCap: number; roomSendsPerHour: number };
  miniProgram?: { appId: string; username: string };
  /** The page of a course, for link cards on cards the dialog sent without one (recommendations). */
  courseUrlFor?: (courseId: string) => Promise<string | undefined>;
  logger: Logger;
}

const HOUR_MS = 3_600_000;

/**
 * The outbound path to WeChat through a personal account, for chat replies and jobs alike: paced
 * (one message every few seconds, with jitter), within a rolling 24 h cap and a per-room hourly
 * limit, idempotent on `idempotencyKey`, every send recorded in the shared `sends` log.
 *
 * @example
 * wiring.messengers.set('wechat', new WechatMessenger(deps));
 * await messenger.send({ followerId, chatId: contactId }, replies, { purpose: 'transactional', idempotencyKey: `reply:${messageId}` });
 */
export class WechatMessenger implements Messenger {
  readonly platform = 'wechat' as const;
  private readonly optionsByChat = new Map<string, string[]>();

  constructor(private readonly deps: WechatMessengerDeps) {}

  /** The actions behind the numbered options last offered in a chat. */
  optionsFor(chatId: string): readonly string[] {
    return this.optionsByChat.get(chatId) ?? [];
  }

  async send(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose; idempotencyKey?: string }): Promise<SendResult> {
    const follower = to.followerId ? await this.deps.followers.findById(to.followerId) : null;
    const rendered = renderWechatReplies(await this.withCourseUrls(replies), { locale: follower?.locale ?? 'zh-CN', miniProgram: this.deps.miniProgram });
    const started = await this.deps.sendLog.start({
      platform: 'wechat', followerId: to.followerId || null, chatId: to.chatId, purpose: options.purpose, idempotencyKey: options.idempotencyKey, replyCount: rendered.messages.length,
    });
    if (started.id === null) {
      const { existing } = started;
      if (existing.status === 'sent') return { status: 'sent', providerMessageIds: existing.providerMessageIds };
      if (existing.status === 'blocked') return { status: 'blocked', reason: existing.error ?? 'unreachable' };
      return { status: 'failed', reason: 'a send with this idempotency key is in progress', isRetryable: true };
    }
    const finish = async (result: SendResult, ids: string[] = []) => {
      const error = result.status === 'sent' ? null : result.status === 'rate_limited' ? `rate limited for ${result.retryAfterMs} ms` : result.reason;
      await this.deps.sendLog.finish(started.id, { status: result.status, providerMessageIds: ids, error }, 1, this.deps.clock.now());
      return result;
    };

    const now = this.deps.clock.now().getTime();
    const n = rendered.messages.length;
    // This send's own row counts as 'sending', so the counts already include it.
    if ((await this.deps.counter.messagesSince(new Date(now - 24 * HOUR_MS))) > this.deps.limits.dailyCap) {
      this.deps.logger.warn({ dailyCap: this.deps.limits.dailyCap }, 'WeChat daily send cap reached');
      return finish({ status: 'rate_limited', retryAfterMs: HOUR_MS });
    }
    if (to.chatId.startsWith(ROOM_PREFIX) && (await this.deps.counter.messagesSince(new Date(now - HOUR_MS), to.chatId)) > this.deps.limits.roomSendsPerHour) {
      this.deps.logger.warn({ chatId: to.chatId }, 'WeChat per-room limit reached');
      return finish({ status: 'rate_limited', retryAfterMs: HOUR_MS / 4 });
    }
    const conversation = await this.deps.conversations.find(to.chatId);
    if (!conversation) return finish({ status: 'blocked', reason: `no WeChat chat ${to.chatId} on the logged-in account` });
    if (rendered.options.length) this.optionsByChat.set(to.chatId, rendered.options);

    const ids: string[] = [];
    try {
      for (const message of rendered.messages.slice(0, n)) {
        const id = await this.deps.pacer.run(() => this.sayWithFallback(conversation, message));
        if (id) ids.push(id);
      }
    } catch (error) {
      this.deps.logger.error({ err: error, chatId: to.chatId }, 'WeChat send failed');
      return finish({ status: 'failed', reason: error instanceof Error ? error.message : 'send failed', isRetryable: true }, ids);
    }
    return finish({ status: 'sent', providerMessageIds: ids }, ids);
  }

  private async withCourseUrls(replies: readonly Reply[]): Promise<Reply[]> {
    const urlFor = this.deps.courseUrlFor;
    if (!urlFor) return [...replies];
    return Promise.all(
      replies.map(async (reply) => {
        if (reply.type !== 'course_cards') return reply;
        const cards = await Promise.all(reply.cards.map(async (card) => (card.url ? card : { ...card, url: await urlFor(card.courseId) })));
        return { ...reply, cards: cards.map(({ url, ...card }) => (url ? { ...card, url } : card)) };
      }),
    );
  }

  /** Cards the puppet cannot send (wechat4u has no link cards) go out as text instead. */
  private async sayWithFallback(conversation: WechatConversation, message: WechatOutgoing): Promise<string | undefined> {
    if (message.kind === 'text') return conversation.say(message);
    try {
      return await conversation.say(message);
    } catch (error) {
      this.deps.logger.debug({ kind: message.kind, err: error }, 'card not supported by the puppet; sending text');
      return conversation.say({ kind: 'text', text: message.fallbackText });
    }
  }
}
