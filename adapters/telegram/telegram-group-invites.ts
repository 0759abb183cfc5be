import type { Telegram } from 'telegraf';
import type { CourseGroupInvites } from '../../core/index.js';

/**
 * Learners' group invites through the Bot API's `createChatInviteLink`, each for one member
 * (`member_limit: 1`) and named after the order, so admins see in the group's invite list who a
 * link was for. The bot must be an admin of the group with the right to invite users.
 *
 * @example
 * const invites = new TelegramGroupInvites(bot.telegram);
 * await invites.createInvite({ groupChatId: '-1001234567890', name: 'order 8c1f2a3b' }); // 'https://t.me/+AbCd…'
 */
export class TelegramGroupInvites implements CourseGroupInvites {
  constructor(private readonly telegram: Pick<Telegram, 'createChatInviteLink'>) {}

  async createInvite(input: { groupChatId: string; name: string }): Promise<string> {
    const link = await this.telegram.createChatInviteLink(input.groupChatId, { member_limit: 1, name: input.name.slice(0, 32) });
    return link.invite_link;
  }
}
